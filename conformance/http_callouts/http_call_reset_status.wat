(module
;; @include base
  (import "env" "proxy_http_call" (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_status" (func $status (param i32 i32 i32) (result i32)))
  ;; @str $pairs_method_get_path_check "\03\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\06\00\00\00\0a\00\00\00\04\00\00\00:method\00GET\00:path\00/check\00:authority\00auth\00"
  ;; @str $auth "auth"
  ;; @str $reset "reset"
  ;; @str $headers_of_a_reset_callout "headers of a reset callout"
  ;; @str $status_code_of_a_reset "status code of a reset"
  ;; @str $status_message "status message"
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (drop (call $http_call (global.get $auth) (global.get $auth_len) (global.get $pairs_method_get_path_check) (global.get $pairs_method_get_path_check_len)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 2048)))
    (i32.const 1))
  (func (export "proxy_on_http_call_response") (param i32 i32) (param $headers i32) (param i32 i32)
    (call $check_eq (global.get $headers_of_a_reset_callout) (global.get $headers_of_a_reset_callout_len) (i32.const 0) (local.get $headers))
    (drop (call $status (i32.const 2056) (i32.const 2060) (i32.const 2064)))
    (call $check_eq (global.get $status_code_of_a_reset) (global.get $status_code_of_a_reset_len) (i32.const 11) (i32.load (i32.const 2056)))
    (call $check_bytes (global.get $status_message) (global.get $status_message_len) (i32.load (i32.const 2060)) (global.get $reset) (global.get $reset_len))))
