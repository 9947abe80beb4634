(module
;; @include base
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_empty "x-empty"
  ;; @str $x_missing "x-missing"
  ;; @str $status_for_a_key_with_an "status for a key with an empty value"
  ;; @str $pointer_for_an_empty_value "pointer for an empty value"
  ;; @str $length_for_an_empty_value "length for an empty value"
  ;; @str $status_for_a_missing_key "status for a missing key"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (i32.store (i32.const 2048) (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (call $check_eq (global.get $status_for_a_key_with_an) (global.get $status_for_a_key_with_an_len) (i32.const 0)
      (call $get (i32.const 0) (global.get $x_empty) (global.get $x_empty_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $pointer_for_an_empty_value) (global.get $pointer_for_an_empty_value_len) (i32.const 0) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $length_for_an_empty_value) (global.get $length_for_an_empty_value_len) (i32.const 0) (i32.load (i32.const 2052)))
    (call $check_eq (global.get $status_for_a_missing_key) (global.get $status_for_a_missing_key_len) (i32.const 1)
      (call $get (i32.const 0) (global.get $x_missing) (global.get $x_missing_len) (i32.const 2048) (i32.const 2052)))
    (i32.const 0)))
