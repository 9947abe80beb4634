(module
;; @include base
  (import "env" "proxy_call_foreign_function" (func $call (param i32 i32 i32 i32 i32 i32) (result i32)))
  ;; @str $pwconf_reverse "pwconf.reverse"
  ;; @str $pwconf_fail "pwconf.fail"
  ;; @str $no_such_function "no.such.function"
  ;; @str $abc "abc"
  ;; @str $cba "cba"
  ;; @str $call_pwconf_reverse "call pwconf.reverse"
  ;; @str $result_length "result length"
  ;; @str $result_bytes "result bytes"
  ;; @str $unknown_function "unknown function"
  ;; @str $the_function_s_own_status "the function's own status"
  ;; @str $results_discarded_without_a "results discarded without a pointer"
  ;; @str $bad_name_pointer "bad name pointer"
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $call_pwconf_reverse) (global.get $call_pwconf_reverse_len) (i32.const 0)
      (call $call (global.get $pwconf_reverse) (global.get $pwconf_reverse_len) (global.get $abc) (global.get $abc_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $result_length) (global.get $result_length_len) (i32.const 3) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $result_bytes) (global.get $result_bytes_len) (i32.load (i32.const 2048)) (global.get $cba) (global.get $cba_len))
    (call $check_eq (global.get $unknown_function) (global.get $unknown_function_len) (i32.const 1)
      (call $call (global.get $no_such_function) (global.get $no_such_function_len) (global.get $abc) (global.get $abc_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $the_function_s_own_status) (global.get $the_function_s_own_status_len) (i32.const 10)
      (call $call (global.get $pwconf_fail) (global.get $pwconf_fail_len) (global.get $abc) (global.get $abc_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $results_discarded_without_a) (global.get $results_discarded_without_a_len) (i32.const 0)
      (call $call (global.get $pwconf_reverse) (global.get $pwconf_reverse_len) (global.get $abc) (global.get $abc_len) (i32.const 0) (i32.const 0)))
    (call $check_eq (global.get $bad_name_pointer) (global.get $bad_name_pointer_len) (i32.const 6)
      (call $call (i32.const 0xfffffff0) (i32.const 14) (global.get $abc) (global.get $abc_len) (i32.const 2048) (i32.const 2052)))
    (i32.const 1)))
