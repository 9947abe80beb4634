(module
;; @include base
  (global $root (mut i32) (i32.const 0))
  (global $stream (mut i32) (i32.const 0))
  (global $calls (mut i32) (i32.const 0))
  ;; @str $parent_of_the_stream_context "parent of the stream context"
  ;; @str $request_body_context_is_the "request body context is the created stream"
  ;; @str $request_trailers_context_is "request trailers context is the created stream"
  ;; @str $response_body_context_is_the "response body context is the created stream"
  ;; @str $response_trailers_context_is "response trailers context is the created stream"
  ;; @str $on_log_context_is_the "on_log context is the created stream"
  ;; @str $stream_callbacks_seen_before "stream callbacks seen before on_log"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (local.get $parent)
      (then
        (call $check_eq (global.get $parent_of_the_stream_context) (global.get $parent_of_the_stream_context_len) (global.get $root) (local.get $parent))
        (global.set $stream (local.get $ctx))
        (global.set $calls (i32.const 0)))
      (else (global.set $root (local.get $ctx)))))
  (func $seen
    (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
  (func (export "proxy_on_request_body") (param $ctx i32) (param i32 i32) (result i32)
    (call $check_eq (global.get $request_body_context_is_the) (global.get $request_body_context_is_the_len) (global.get $stream) (local.get $ctx))
    (call $seen)
    (i32.const 0))
  (func (export "proxy_on_request_trailers") (param $ctx i32) (param i32) (result i32)
    (call $check_eq (global.get $request_trailers_context_is) (global.get $request_trailers_context_is_len) (global.get $stream) (local.get $ctx))
    (call $seen)
    (i32.const 0))
  (func (export "proxy_on_response_body") (param $ctx i32) (param i32 i32) (result i32)
    (call $check_eq (global.get $response_body_context_is_the) (global.get $response_body_context_is_the_len) (global.get $stream) (local.get $ctx))
    (call $seen)
    (i32.const 0))
  (func (export "proxy_on_response_trailers") (param $ctx i32) (param i32) (result i32)
    (call $check_eq (global.get $response_trailers_context_is) (global.get $response_trailers_context_is_len) (global.get $stream) (local.get $ctx))
    (call $seen)
    (i32.const 0))
  (func (export "proxy_on_log") (param $ctx i32)
    (call $check_eq (global.get $on_log_context_is_the) (global.get $on_log_context_is_the_len) (global.get $stream) (local.get $ctx))
    (call $check_eq (global.get $stream_callbacks_seen_before) (global.get $stream_callbacks_seen_before_len) (i32.const 4) (global.get $calls))))
