(module
;; @include base
  (import "env" "proxy_set_shared_data" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_shared_data" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $fresh_key "fresh-key"
  ;; @str $v "v"
  ;; @str $set_with_cas_12345_on_a "set with cas 12345 on a missing key"
  ;; @str $the_key_now_exists "the key now exists"
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $set_with_cas_12345_on_a) (global.get $set_with_cas_12345_on_a_len) (i32.const 0)
      (call $set (global.get $fresh_key) (global.get $fresh_key_len) (global.get $v) (global.get $v_len) (i32.const 12345)))
    (call $check_eq (global.get $the_key_now_exists) (global.get $the_key_now_exists_len) (i32.const 0)
      (call $get (global.get $fresh_key) (global.get $fresh_key_len) (i32.const 2048) (i32.const 2052) (i32.const 2056)))
    (i32.const 0)))
