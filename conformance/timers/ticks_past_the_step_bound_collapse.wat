(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (import "env" "proxy_get_current_time_nanoseconds" (func $now (param i32) (result i32)))
  (global $ticks (mut i32) (i32.const 0))
  (global $last_ms (mut i32) (i32.const 0))
  ;; @str $set_tick_status "set_tick_period_milliseconds(1) status"
  ;; @str $ticks_in_one_hour "ticks in one advance of an hour"
  ;; @str $last_tick_at "virtual milliseconds at the last tick"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $check_eq (global.get $set_tick_status) (global.get $set_tick_status_len) (i32.const 0) (call $set_tick (i32.const 1)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param i32)
    (drop (call $now (i32.const 2048)))
    (global.set $last_ms (i32.wrap_i64 (i64.div_u
      (i64.sub (i64.load (i32.const 2048)) (i64.const 1767225600000000000)) (i64.const 1000000))))
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1))))
  (func (export "proxy_on_done") (param i32) (result i32)
    ;; 10 000 ticks at 1..10 000 ms, then the missed ones collapse into one at the step's end
    (call $check_eq (global.get $ticks_in_one_hour) (global.get $ticks_in_one_hour_len) (i32.const 10001) (global.get $ticks))
    (call $check_eq (global.get $last_tick_at) (global.get $last_tick_at_len) (i32.const 3600000) (global.get $last_ms))
    (i32.const 1)))
