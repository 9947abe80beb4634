(module
;; @include base
  (import "env" "proxy_set_shared_data" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_shared_data" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (global $first (mut i32) (i32.const 0))
  ;; @str $key "key"
  ;; @str $one "one"
  ;; @str $two "two"
  ;; @str $six "six"
  ;; @str $set_with_the_current_cas "set with the current cas"
  ;; @str $the_cas_changed_after_a "the cas changed after a write"
  ;; @str $set_with_a_stale_cas "set with a stale cas"
  ;; @str $value_after_the_refused_set "value after the refused set"
  ;; @str $rewrite_of_the_same_value "rewrite of the same value changes the cas"
  (func $cas (result i32)
    (drop (call $get (global.get $key) (global.get $key_len) (i32.const 2048) (i32.const 2052) (i32.const 2056)))
    (i32.load (i32.const 2056)))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (drop (call $set (global.get $key) (global.get $key_len) (global.get $one) (global.get $one_len) (i32.const 0)))
    (local.set $c1 (call $cas))
    (call $check_eq (global.get $set_with_the_current_cas) (global.get $set_with_the_current_cas_len) (i32.const 0)
      (call $set (global.get $key) (global.get $key_len) (global.get $two) (global.get $two_len) (local.get $c1)))
    (local.set $c2 (call $cas))
    (call $check_eq (global.get $the_cas_changed_after_a) (global.get $the_cas_changed_after_a_len) (i32.const 1) (i32.ne (local.get $c1) (local.get $c2)))
    (call $check_eq (global.get $set_with_a_stale_cas) (global.get $set_with_a_stale_cas_len) (i32.const 8)
      (call $set (global.get $key) (global.get $key_len) (global.get $six) (global.get $six_len) (local.get $c1)))
    (drop (call $get (global.get $key) (global.get $key_len) (i32.const 2048) (i32.const 2052) (i32.const 2056)))
    (call $check_bytes (global.get $value_after_the_refused_set) (global.get $value_after_the_refused_set_len) (i32.load (i32.const 2048)) (global.get $two) (global.get $two_len))
    (drop (call $set (global.get $key) (global.get $key_len) (global.get $two) (global.get $two_len) (i32.const 0)))
    (local.set $c3 (call $cas))
    (call $check_eq (global.get $rewrite_of_the_same_value) (global.get $rewrite_of_the_same_value_len) (i32.const 1) (i32.ne (local.get $c2) (local.get $c3)))
    (i32.const 1)))
