(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (import "env" "proxy_get_current_time_nanoseconds" (func $now (param i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  (global $ticks (mut i32) (i32.const 0))
  ;; @str $set_tick_period_milliseconds "set_tick_period_milliseconds(100) status"
  ;; @str $on_tick_context_is_the_root "on_tick context is the root"
  ;; @str $virtual_milliseconds_at_tick "virtual milliseconds at tick"
  ;; @str $nanoseconds_past_the "nanoseconds past the millisecond at tick"
  ;; @str $ticks_after_advancing_350_ms "ticks after advancing 350 ms"
  ;; @str $get_current_time_status "get_current_time status"
  ;; milliseconds since 2026-01-01T00:00:00Z on the virtual clock
  (func $elapsed_ms (result i32)
    (local $ns i64)
    (call $check_eq (global.get $get_current_time_status) (global.get $get_current_time_status_len) (i32.const 0) (call $now (i32.const 2048)))
    (local.set $ns (i64.sub (i64.load (i32.const 2048)) (i64.const 1767225600000000000)))
    (call $check_eq (global.get $nanoseconds_past_the) (global.get $nanoseconds_past_the_len) (i32.const 0)
      (i32.wrap_i64 (i64.rem_u (local.get $ns) (i64.const 1000000))))
    (i32.wrap_i64 (i64.div_s (local.get $ns) (i64.const 1000000))))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $set_tick (i32.const 100)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $ctx i32)
    (call $check_eq (global.get $on_tick_context_is_the_root) (global.get $on_tick_context_is_the_root_len) (global.get $root) (local.get $ctx))
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (call $check_eq (global.get $virtual_milliseconds_at_tick) (global.get $virtual_milliseconds_at_tick_len)
      (i32.mul (global.get $ticks) (i32.const 100)) (call $elapsed_ms)))
  (func (export "proxy_on_done") (param i32) (result i32)
    (call $check_eq (global.get $ticks_after_advancing_350_ms) (global.get $ticks_after_advancing_350_ms_len) (i32.const 3) (global.get $ticks))
    (i32.const 1)))
