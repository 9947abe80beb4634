(module
;; @include base
  (import "env" "proxy_set_effective_context" (func $set_effective (param i32) (result i32)))
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  ;; @str $request_path_2 "request\00path"
  ;; @str $set_effective_context_root "set_effective_context(root id)"
  ;; @str $request_path_with_the_root "request.path with the root effective"
  ;; @str $request_path_in_the_next "request.path in the next callback of the stream"
  ;; @str $request_path_in_on_log_after "request.path in on_log after a switch in a body callback"
  (func $request_path (result i32)
    (call $get_property (global.get $request_path_2) (global.get $request_path_2_len) (i32.const 2048) (i32.const 2052)))
  (func $switch_to_root
    (call $check_eq (global.get $set_effective_context_root) (global.get $set_effective_context_root_len) (i32.const 0) (call $set_effective (global.get $root)))
    (call $check_eq (global.get $request_path_with_the_root) (global.get $request_path_with_the_root_len) (i32.const 1) (call $request_path)))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $switch_to_root)
    (i32.const 0))
  (func (export "proxy_on_response_body") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $request_path_in_the_next) (global.get $request_path_in_the_next_len) (i32.const 0) (call $request_path))
    (call $switch_to_root)
    (i32.const 0))
  (func (export "proxy_on_log") (param i32)
    (call $check_eq (global.get $request_path_in_on_log_after) (global.get $request_path_in_on_log_after_len) (i32.const 0) (call $request_path))))
