;; Calls a hostcall that is not allowed during start-up from _start (rule L5).
(module
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "_start") (drop (call $tick (i32.const 10)))))
