(module
;; @include base
  (import "env" "proxy_http_call" (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $header (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $pairs_method_get_path_check "\03\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\06\00\00\00\0a\00\00\00\04\00\00\00:method\00GET\00:path\00/check\00:authority\00slow\00"
  ;; @str $slow "slow"
  ;; @str $status ":status"
  ;; @str $s_504 "504"
  ;; @str $status_of_a_timed_out ":status of a timed-out callout"
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (drop (call $http_call (global.get $slow) (global.get $slow_len) (global.get $pairs_method_get_path_check) (global.get $pairs_method_get_path_check_len)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 100) (i32.const 2048)))
    (i32.const 1))
  (func (export "proxy_on_http_call_response") (param i32 i32 i32 i32 i32)
    (drop (call $header (i32.const 6) (global.get $status) (global.get $status_len) (i32.const 2056) (i32.const 2060)))
    (call $check_bytes (global.get $status_of_a_timed_out) (global.get $status_of_a_timed_out_len) (i32.load (i32.const 2056)) (global.get $s_504) (global.get $s_504_len))))
