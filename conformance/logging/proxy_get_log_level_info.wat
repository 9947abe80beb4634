(module
;; @include base
  (import "env" "proxy_get_log_level" (func $get_log_level (param i32) (result i32)))
  (data (i32.const 16) "proxy_get_log_level status")
  (data (i32.const 48) "log level (INFO = 2)")
  (data (i32.const 80) "proxy_get_log_level with a bad pointer")
  (func $check_level
    (i32.store (i32.const 2048) (i32.const -1))
    (call $check_eq (i32.const 16) (i32.const 26) (i32.const 0) (call $get_log_level (i32.const 2048)))
    (call $check_eq (i32.const 48) (i32.const 20) (i32.const 2) (i32.load (i32.const 2048)))
    (call $check_eq (i32.const 80) (i32.const 38) (i32.const 6) (call $get_log_level (i32.const 262142))))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_level)
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (call $check_level)
    (i32.const 0)))
