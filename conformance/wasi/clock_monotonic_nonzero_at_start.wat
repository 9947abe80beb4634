(module
;; @include base
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  ;; @str $clock_time_get_monotonic_errno_in_initia "clock_time_get(MONOTONIC) errno in _initialize"
  ;; @str $monotonic_reads_0_in_initialize "MONOTONIC reads 0 in _initialize"
  ;; @str $pwconf_started_with_a_monotonic_clock "pwconf started with a monotonic clock"
  ;; What Go's runtime does first in _initialize: it throws "nanotime returning zero".
  (func (export "_initialize")
    (i64.store (i32.const 2048) (i64.const 0))
    (call $check_eq (global.get $clock_time_get_monotonic_errno_in_initia) (global.get $clock_time_get_monotonic_errno_in_initia_len) (i32.const 0)
      (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 2048)))
    (call $check_eq (global.get $monotonic_reads_0_in_initialize) (global.get $monotonic_reads_0_in_initialize_len) (i32.const 0)
      (i64.eqz (i64.load (i32.const 2048))))
    (drop (call $pwconf_log (i32.const 2) (global.get $pwconf_started_with_a_monotonic_clock) (global.get $pwconf_started_with_a_monotonic_clock_len)))))
