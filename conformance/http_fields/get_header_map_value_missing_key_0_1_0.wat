(module
;; @include base
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_absent "x-absent"
  ;; @str $x_k "X-K"
  ;; @str $v "v"
  ;; @str $status_for_a_missing_key_0_1 "status for a missing key (0.1.0)"
  ;; @str $pointer_for_a_missing_key_0 "pointer for a missing key (0.1.0)"
  ;; @str $length_for_a_missing_key_0_1 "length for a missing key (0.1.0)"
  ;; @str $status_for_a_present_key "status for a present key"
  ;; @str $value_of_a_present_key "value of a present key"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (result i32)
    (i32.store (i32.const 2048) (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (call $check_eq (global.get $status_for_a_missing_key_0_1) (global.get $status_for_a_missing_key_0_1_len) (i32.const 0)
      (call $get (i32.const 0) (global.get $x_absent) (global.get $x_absent_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $pointer_for_a_missing_key_0) (global.get $pointer_for_a_missing_key_0_len) (i32.const 0) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $length_for_a_missing_key_0_1) (global.get $length_for_a_missing_key_0_1_len) (i32.const 0) (i32.load (i32.const 2052)))
    (call $check_eq (global.get $status_for_a_present_key) (global.get $status_for_a_present_key_len) (i32.const 0)
      (call $get (i32.const 0) (global.get $x_k) (global.get $x_k_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $value_of_a_present_key) (global.get $value_of_a_present_key_len) (i32.const 1) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $value_of_a_present_key) (global.get $value_of_a_present_key_len) (i32.load (i32.const 2048)) (global.get $v) (global.get $v_len))
    (i32.const 0)))
