(module
;; @include base
  (import "env" "proxy_set_shared_data" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_shared_data" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $key "key"
  ;; @str $value "value"
  ;; @str $unknown "unknown"
  ;; @str $set_with_cas_0 "set with cas 0"
  ;; @str $get_of_a_set_key "get of a set key"
  ;; @str $value_length "value length"
  ;; @str $cas_is_not_0 "cas is not 0"
  ;; @str $get_of_an_unknown_key "get of an unknown key"
  ;; @str $value_bytes "value bytes"
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $set_with_cas_0) (global.get $set_with_cas_0_len) (i32.const 0)
      (call $set (global.get $key) (global.get $key_len) (global.get $value) (global.get $value_len) (i32.const 0)))
    (call $check_eq (global.get $get_of_a_set_key) (global.get $get_of_a_set_key_len) (i32.const 0)
      (call $get (global.get $key) (global.get $key_len) (i32.const 2048) (i32.const 2052) (i32.const 2056)))
    (call $check_eq (global.get $value_length) (global.get $value_length_len) (i32.const 5) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $value_bytes) (global.get $value_bytes_len) (i32.load (i32.const 2048)) (global.get $value) (global.get $value_len))
    (call $check_eq (global.get $cas_is_not_0) (global.get $cas_is_not_0_len) (i32.const 1) (i32.ne (i32.load (i32.const 2056)) (i32.const 0)))
    (call $check_eq (global.get $get_of_an_unknown_key) (global.get $get_of_an_unknown_key_len) (i32.const 1)
      (call $get (global.get $unknown) (global.get $unknown_len) (i32.const 2048) (i32.const 2052) (i32.const 2056)))
    (i32.const 1)))
