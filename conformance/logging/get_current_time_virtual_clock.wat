(module
;; @include base
  (import "env" "proxy_get_current_time_nanoseconds" (func $now (param i32) (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  ;; @str $proxy_get_current_time "proxy_get_current_time_nanoseconds status"
  ;; @str $virtual_milliseconds_since "virtual milliseconds since 2026-01-01T00:00:00Z"
  ;; @str $nanoseconds_past_the "nanoseconds past the millisecond"
  ;; @str $time_moved_within_one "time moved within one callback (ns)"
  ;; @str $proxy_get_current_time_nanoseconds "proxy_get_current_time_nanoseconds with a bad pointer"
  ;; milliseconds since the virtual epoch; also checks two reads in a row agree
  (func $elapsed_ms (result i32)
    (local $ns i64)
    (call $check_eq (global.get $proxy_get_current_time) (global.get $proxy_get_current_time_len) (i32.const 0) (call $now (i32.const 2048)))
    (call $check_eq (global.get $proxy_get_current_time) (global.get $proxy_get_current_time_len) (i32.const 0) (call $now (i32.const 2056)))
    (call $check_eq (global.get $time_moved_within_one) (global.get $time_moved_within_one_len) (i32.const 0)
      (i32.wrap_i64 (i64.sub (i64.load (i32.const 2056)) (i64.load (i32.const 2048)))))
    (local.set $ns (i64.sub (i64.load (i32.const 2048)) (i64.const 1767225600000000000)))
    (call $check_eq (global.get $nanoseconds_past_the) (global.get $nanoseconds_past_the_len) (i32.const 0)
      (i32.wrap_i64 (i64.rem_u (local.get $ns) (i64.const 1000000))))
    (i32.wrap_i64 (i64.div_s (local.get $ns) (i64.const 1000000))))
  (global $root (mut i32) (i32.const 0))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $virtual_milliseconds_since) (global.get $virtual_milliseconds_since_len) (i32.const 0) (call $elapsed_ms))
    (call $check_eq (global.get $proxy_get_current_time_nanoseconds) (global.get $proxy_get_current_time_nanoseconds_len) (i32.const 6) (call $now (i32.const 262140)))
    (drop (call $set_tick (i32.const 1000)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param i32)
    (call $check_eq (global.get $virtual_milliseconds_since) (global.get $virtual_milliseconds_since_len) (i32.const 1000) (call $elapsed_ms))
    (drop (call $set_tick (i32.const 0))))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $virtual_milliseconds_since) (global.get $virtual_milliseconds_since_len) (i32.const 1500) (call $elapsed_ms))
    (i32.const 0))
  ;; the stream ends at 1500 ms, the root at shutdown after the last advance (4000 ms)
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (call $check_eq (global.get $virtual_milliseconds_since) (global.get $virtual_milliseconds_since_len)
      (select (i32.const 4000) (i32.const 1500) (i32.eq (local.get $ctx) (global.get $root)))
      (call $elapsed_ms))
    (i32.const 1)))
