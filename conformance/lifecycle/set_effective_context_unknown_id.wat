(module
;; @include base
  (import "env" "proxy_set_effective_context" (func $set_effective (param i32) (result i32)))
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  ;; @str $request_path_2 "request\00path"
  ;; @str $set_effective_context "set_effective_context(unknown id)"
  ;; @str $request_path_still_from_the "request.path still from the stream after a refused switch"
  ;; @str $set_effective_context_root "set_effective_context(root id)"
  ;; @str $request_path_while_the_root "request.path while the root stays effective after a refused switch"
  ;; @str $request_path_in_the_stream "request.path in the stream before any switch"
  (func $request_path (result i32)
    (call $get_property (global.get $request_path_2) (global.get $request_path_2_len) (i32.const 2048) (i32.const 2052)))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_request_body") (param $ctx i32) (param i32 i32) (result i32)
    (call $check_eq (global.get $request_path_in_the_stream) (global.get $request_path_in_the_stream_len) (i32.const 0) (call $request_path))
    ;; an id no context has: refused, and the stream stays the acting context
    (call $check_eq (global.get $set_effective_context) (global.get $set_effective_context_len) (i32.const 2) (call $set_effective (i32.const 0x7fff0001)))
    (call $check_eq (global.get $request_path_still_from_the) (global.get $request_path_still_from_the_len) (i32.const 0) (call $request_path))
    ;; switch to the root, then try an unknown id: the root stays effective
    (call $check_eq (global.get $set_effective_context_root) (global.get $set_effective_context_root_len) (i32.const 0) (call $set_effective (global.get $root)))
    (call $check_eq (global.get $set_effective_context) (global.get $set_effective_context_len) (i32.const 2) (call $set_effective (i32.const 4242)))
    (call $check_eq (global.get $request_path_while_the_root) (global.get $request_path_while_the_root_len) (i32.const 1) (call $request_path))
    (i32.const 0)))
