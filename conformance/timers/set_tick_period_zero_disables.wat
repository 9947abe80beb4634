(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (global $ticks (mut i32) (i32.const 0))
  ;; @str $set_tick_period_milliseconds "set_tick_period_milliseconds(100) status"
  ;; @str $set_tick_period_milliseconds_0 "set_tick_period_milliseconds(0) status"
  ;; @str $ticks_after_the_period_was "ticks after the period was set to 0"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $set_tick (i32.const 100)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param i32)
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (if (i32.eq (global.get $ticks) (i32.const 2))
      (then (call $check_eq (global.get $set_tick_period_milliseconds_0) (global.get $set_tick_period_milliseconds_0_len) (i32.const 0) (call $set_tick (i32.const 0))))))
  (func (export "proxy_on_done") (param i32) (result i32)
    (call $check_eq (global.get $ticks_after_the_period_was) (global.get $ticks_after_the_period_was_len) (i32.const 2) (global.get $ticks))
    (i32.const 1)))
