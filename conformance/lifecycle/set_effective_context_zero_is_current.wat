(module
;; @include base
  (import "env" "proxy_set_effective_context" (func $set_effective (param i32) (result i32)))
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  ;; @str $request_path "request\00path"
  ;; @str $set_effective_context_root "set_effective_context(root id)"
  ;; @str $set_effective_context_0 "set_effective_context(0)"
  ;; @str $request_path_after_switching "request.path after switching back with 0"
  ;; @str $set_tick_period_milliseconds "set_tick_period_milliseconds after set_effective_context(0)"
  ;; @str $request_path_with_only_set "request.path with only set_effective_context(0)"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    ;; 0 alone: no switch at all
    (call $check_eq (global.get $set_effective_context_0) (global.get $set_effective_context_0_len) (i32.const 0) (call $set_effective (i32.const 0)))
    (call $check_eq (global.get $request_path_with_only_set) (global.get $request_path_with_only_set_len) (i32.const 0)
      (call $get_property (global.get $request_path) (global.get $request_path_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $set_tick (i32.const 0)))
    ;; switch to the root, then back with 0: the stream acts again
    (call $check_eq (global.get $set_effective_context_root) (global.get $set_effective_context_root_len) (i32.const 0) (call $set_effective (global.get $root)))
    (call $check_eq (global.get $set_effective_context_0) (global.get $set_effective_context_0_len) (i32.const 0) (call $set_effective (i32.const 0)))
    (call $check_eq (global.get $request_path_after_switching) (global.get $request_path_after_switching_len) (i32.const 0)
      (call $get_property (global.get $request_path) (global.get $request_path_len) (i32.const 2048) (i32.const 2052)))
    (i32.const 0)))
