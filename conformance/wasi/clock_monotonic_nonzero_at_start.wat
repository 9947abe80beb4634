(module
;; @include base
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (data (i32.const 16) "clock_time_get(MONOTONIC) errno in _initialize")
  (data (i32.const 64) "MONOTONIC reads 0 in _initialize")
  (data (i32.const 112) "pwconf started with a monotonic clock")
  ;; What Go's runtime does first in _initialize: it throws "nanotime returning zero".
  (func (export "_initialize")
    (i64.store (i32.const 2048) (i64.const 0))
    (call $check_eq (i32.const 16) (i32.const 46) (i32.const 0)
      (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 2048)))
    (call $check_eq (i32.const 64) (i32.const 32) (i32.const 0)
      (i64.eqz (i64.load (i32.const 2048))))
    (drop (call $pwconf_log (i32.const 2) (i32.const 112) (i32.const 37)))))
