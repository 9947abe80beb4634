(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  (global $ticks (mut i32) (i32.const 0))
  ;; @str $set_tick_period_milliseconds "set_tick_period_milliseconds status from a stream"
  ;; @str $on_tick_context_is_the "on_tick context is the stream's root"
  ;; @str $ticks_of_the_root "ticks of the root"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $set_tick (i32.const 50)))
    (i32.const 0))
  (func (export "proxy_on_tick") (param $ctx i32)
    (call $check_eq (global.get $on_tick_context_is_the) (global.get $on_tick_context_is_the_len) (global.get $root) (local.get $ctx))
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1))))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (if (i32.eq (local.get $ctx) (global.get $root))
      (then (call $check_eq (global.get $ticks_of_the_root) (global.get $ticks_of_the_root_len) (i32.const 2) (global.get $ticks))))
    (i32.const 1)))
