(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (import "env" "proxy_get_current_time_nanoseconds" (func $now (param i32) (result i32)))
  (global $ticks (mut i32) (i32.const 0))
  ;; @str $set_tick_period_milliseconds "set_tick_period_milliseconds status"
  ;; @str $virtual_milliseconds_at_tick "virtual milliseconds at tick"
  ;; @str $ticks_in_1000_ms "ticks in 1000 ms"
  ;; expected due times of ticks 1..4: 100, then every 300 ms from the change
  ;; @str $due_ms "\64\00\00\00\90\01\00\00\bc\02\00\00\e8\03\00\00"
  (func $elapsed_ms (result i32)
    (drop (call $now (i32.const 2048)))
    (i32.wrap_i64 (i64.div_s (i64.sub (i64.load (i32.const 2048)) (i64.const 1767225600000000000))
      (i64.const 1000000))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    ;; setting the same period twice still makes one timer
    (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $set_tick (i32.const 100)))
    (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $set_tick (i32.const 100)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param i32)
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (if (i32.le_u (global.get $ticks) (i32.const 4))
      (then
        (call $check_eq (global.get $virtual_milliseconds_at_tick) (global.get $virtual_milliseconds_at_tick_len)
          (i32.load (i32.add (global.get $due_ms) (i32.mul (i32.sub (global.get $ticks) (i32.const 1)) (i32.const 4))))
          (call $elapsed_ms))))
    (if (i32.eq (global.get $ticks) (i32.const 1))
      (then (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $set_tick (i32.const 300))))))
  (func (export "proxy_on_done") (param i32) (result i32)
    (call $check_eq (global.get $ticks_in_1000_ms) (global.get $ticks_in_1000_ms_len) (i32.const 4) (global.get $ticks))
    (i32.const 1)))
