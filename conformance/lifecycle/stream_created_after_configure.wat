(module
;; @include base
  (global $root (mut i32) (i32.const 0))
  (global $configured (mut i32) (i32.const 0))
  (global $stream (mut i32) (i32.const 0))
  ;; @str $on_configure_returned_before "on_configure returned before the stream's context_create"
  ;; @str $stream_parent_is_the_root_id "stream parent is the root id"
  ;; @str $stream_id_is_neither_0_nor "stream id is neither 0 nor the root id"
  ;; @str $first_callback_of_the_stream "first callback of the stream came after its context_create"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent))
      (then (global.set $root (local.get $ctx)))
      (else
        (call $check_eq (global.get $on_configure_returned_before) (global.get $on_configure_returned_before_len) (i32.const 1) (global.get $configured))
        (call $check_eq (global.get $stream_parent_is_the_root_id) (global.get $stream_parent_is_the_root_id_len) (global.get $root) (local.get $parent))
        (call $check_eq (global.get $stream_id_is_neither_0_nor) (global.get $stream_id_is_neither_0_nor_len) (i32.const 1)
          (i32.and (i32.ne (local.get $ctx) (i32.const 0)) (i32.ne (local.get $ctx) (global.get $root))))
        (global.set $stream (local.get $ctx)))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (global.set $configured (i32.const 1))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param $ctx i32) (param i32 i32) (result i32)
    (call $check_eq (global.get $first_callback_of_the_stream) (global.get $first_callback_of_the_stream_len) (global.get $stream) (local.get $ctx))
    (i32.const 0)))
