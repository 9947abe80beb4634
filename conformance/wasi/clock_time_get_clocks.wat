(module
;; @include base
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_res_get" (func $clock_res_get (param i32 i32) (result i32)))
  (import "env" "proxy_get_current_time_nanoseconds" (func $now (param i32) (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (global $monotonic_start (mut i64) (i64.const 0))
  ;; @str $clock_time_get_realtime "clock_time_get(REALTIME) errno"
  ;; @str $realtime_ms_since_2026_01 "REALTIME ms since 2026-01-01T00:00:00Z"
  ;; @str $realtime_equals_proxy_get "REALTIME equals proxy_get_current_time_nanoseconds"
  ;; @str $clock_time_get_monotonic "clock_time_get(MONOTONIC) errno"
  ;; @str $monotonic_ms_elapsed "MONOTONIC ms elapsed"
  ;; @str $clock_time_get_2_errno "clock_time_get(2) errno"
  ;; @str $clock_time_get_3_errno "clock_time_get(3) errno"
  ;; @str $clock_time_get_with_a_bad "clock_time_get with a bad pointer"
  ;; @str $clock_res_get_realtime_errno "clock_res_get(REALTIME) errno"
  ;; @str $clock_res_get_monotonic "clock_res_get(MONOTONIC) resolution"
  ;; @str $clock_res_get_7_errno "clock_res_get(7) errno"
  (func $realtime_ms (result i32)
    (call $check_eq (global.get $clock_time_get_realtime) (global.get $clock_time_get_realtime_len) (i32.const 0)
      (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 2048)))
    (drop (call $now (i32.const 2056)))
    (call $check_eq (global.get $realtime_equals_proxy_get) (global.get $realtime_equals_proxy_get_len) (i32.const 1)
      (i64.eq (i64.load (i32.const 2048)) (i64.load (i32.const 2056))))
    (i32.wrap_i64 (i64.div_s (i64.sub (i64.load (i32.const 2048)) (i64.const 1767225600000000000))
      (i64.const 1000000))))
  (func $monotonic (result i64)
    (call $check_eq (global.get $clock_time_get_monotonic) (global.get $clock_time_get_monotonic_len) (i32.const 0)
      (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 2064)))
    (i64.load (i32.const 2064)))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $realtime_ms_since_2026_01) (global.get $realtime_ms_since_2026_01_len) (i32.const 0) (call $realtime_ms))
    (global.set $monotonic_start (call $monotonic))
    (call $check_eq (global.get $clock_time_get_2_errno) (global.get $clock_time_get_2_errno_len) (i32.const 58)
      (call $clock_time_get (i32.const 2) (i64.const 1) (i32.const 2048)))
    (call $check_eq (global.get $clock_time_get_3_errno) (global.get $clock_time_get_3_errno_len) (i32.const 58)
      (call $clock_time_get (i32.const 3) (i64.const 1) (i32.const 2048)))
    (call $check_eq (global.get $clock_time_get_with_a_bad) (global.get $clock_time_get_with_a_bad_len) (i32.const 21)
      (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 262140)))
    (call $check_eq (global.get $clock_res_get_realtime_errno) (global.get $clock_res_get_realtime_errno_len) (i32.const 0)
      (call $clock_res_get (i32.const 0) (i32.const 2072)))
    (call $check_eq (global.get $clock_res_get_realtime_errno) (global.get $clock_res_get_realtime_errno_len) (i32.const 0)
      (call $clock_res_get (i32.const 1) (i32.const 2072)))
    (call $check_eq (global.get $clock_res_get_monotonic) (global.get $clock_res_get_monotonic_len) (i32.const 1) (i32.wrap_i64 (i64.load (i32.const 2072))))
    (call $check_eq (global.get $clock_res_get_7_errno) (global.get $clock_res_get_7_errno_len) (i32.const 58)
      (call $clock_res_get (i32.const 7) (i32.const 2072)))
    (drop (call $set_tick (i32.const 250)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param i32)
    (call $check_eq (global.get $realtime_ms_since_2026_01) (global.get $realtime_ms_since_2026_01_len) (i32.const 250) (call $realtime_ms))
    (call $check_eq (global.get $monotonic_ms_elapsed) (global.get $monotonic_ms_elapsed_len) (i32.const 250)
      (i32.wrap_i64 (i64.div_s (i64.sub (call $monotonic) (global.get $monotonic_start)) (i64.const 1000000))))
    (drop (call $set_tick (i32.const 0)))))
