(module
;; @include base
  (import "env" "proxy_get_log_level" (func $get_log_level (param i32) (result i32)))
  ;; @str $proxy_get_log_level_status "proxy_get_log_level status"
  ;; @str $log_level_info_2 "log level (INFO = 2)"
  ;; @str $proxy_get_log_level_with_a "proxy_get_log_level with a bad pointer"
  (func $check_level
    (i32.store (i32.const 2048) (i32.const -1))
    (call $check_eq (global.get $proxy_get_log_level_status) (global.get $proxy_get_log_level_status_len) (i32.const 0) (call $get_log_level (i32.const 2048)))
    (call $check_eq (global.get $log_level_info_2) (global.get $log_level_info_2_len) (i32.const 2) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $proxy_get_log_level_with_a) (global.get $proxy_get_log_level_with_a_len) (i32.const 6) (call $get_log_level (i32.const 262142))))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_level)
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (call $check_level)
    (i32.const 0)))
