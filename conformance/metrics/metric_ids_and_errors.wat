(module
;; @include base
  (import "env" "proxy_define_metric" (func $define (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_increment_metric" (func $inc (param i32 i64) (result i32)))
  (import "env" "proxy_record_metric" (func $record (param i32 i64) (result i32)))
  (import "env" "proxy_get_metric" (func $get (param i32 i32) (result i32)))
  ;; @str $a "a"
  ;; @str $b "b"
  ;; @str $define_with_type_3 "define with type 3"
  ;; @str $two_definitions_give "two definitions give distinct ids"
  ;; @str $record_of_an_unknown_id "record of an unknown id"
  ;; @str $increment_of_an_unknown_id "increment of an unknown id"
  ;; @str $get_of_an_unknown_id "get of an unknown id"
  ;; @str $define_with_a_bad_name "define with a bad name pointer"
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $define_with_type_3) (global.get $define_with_type_3_len) (i32.const 2)
      (call $define (i32.const 3) (global.get $a) (global.get $a_len) (i32.const 2048)))
    (drop (call $define (i32.const 0) (global.get $a) (global.get $a_len) (i32.const 2048)))
    (drop (call $define (i32.const 0) (global.get $b) (global.get $b_len) (i32.const 2052)))
    (call $check_eq (global.get $two_definitions_give) (global.get $two_definitions_give_len) (i32.const 1)
      (i32.ne (i32.load (i32.const 2048)) (i32.load (i32.const 2052))))
    (call $check_eq (global.get $record_of_an_unknown_id) (global.get $record_of_an_unknown_id_len) (i32.const 1) (call $record (i32.const 999) (i64.const 1)))
    (call $check_eq (global.get $increment_of_an_unknown_id) (global.get $increment_of_an_unknown_id_len) (i32.const 1) (call $inc (i32.const 999) (i64.const 1)))
    (call $check_eq (global.get $get_of_an_unknown_id) (global.get $get_of_an_unknown_id_len) (i32.const 1) (call $get (i32.const 999) (i32.const 2056)))
    (call $check_eq (global.get $define_with_a_bad_name) (global.get $define_with_a_bad_name_len) (i32.const 6)
      (call $define (i32.const 0) (i32.const 0xfffffff0) (i32.const 64) (i32.const 2048)))
    (i32.const 1)))
