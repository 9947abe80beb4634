(module
;; @include base
  (import "env" "proxy_http_call" (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  ;; @str $pairs_method_get_path_check "\03\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\06\00\00\00\0a\00\00\00\04\00\00\00:method\00GET\00:path\00/check\00:authority\00auth\00"
  ;; the same without :authority
  ;; @str $pairs_method_get_path_check_2 "\02\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\06\00\00\00:method\00GET\00:path\00/check\00"
  ;; @str $auth "auth"
  ;; @str $nowhere "nowhere"
  ;; @str $unknown_cluster "unknown cluster"
  ;; @str $headers_without_authority "headers without :authority"
  ;; @str $bad_token_pointer "bad token pointer"
  ;; @str $bad_headers_pointer "bad headers pointer"
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $unknown_cluster) (global.get $unknown_cluster_len) (i32.const 2)
      (call $http_call (global.get $nowhere) (global.get $nowhere_len) (global.get $pairs_method_get_path_check) (global.get $pairs_method_get_path_check_len)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 2048)))
    (call $check_eq (global.get $headers_without_authority) (global.get $headers_without_authority_len) (i32.const 2)
      (call $http_call (global.get $auth) (global.get $auth_len) (global.get $pairs_method_get_path_check_2) (global.get $pairs_method_get_path_check_2_len)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 2048)))
    (call $check_eq (global.get $bad_token_pointer) (global.get $bad_token_pointer_len) (i32.const 6)
      (call $http_call (global.get $auth) (global.get $auth_len) (global.get $pairs_method_get_path_check) (global.get $pairs_method_get_path_check_len)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 0xfffffffe)))
    (call $check_eq (global.get $bad_headers_pointer) (global.get $bad_headers_pointer_len) (i32.const 6)
      (call $http_call (global.get $auth) (global.get $auth_len) (i32.const 0xfffffff0) (i32.const 69)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 2048)))
    (i32.const 1))
  (func (export "proxy_on_http_call_response") (param i32 i32 i32 i32 i32)))
