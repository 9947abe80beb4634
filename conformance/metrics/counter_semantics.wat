(module
;; @include base
  (import "env" "proxy_define_metric" (func $define (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_increment_metric" (func $inc (param i32 i64) (result i32)))
  (import "env" "proxy_record_metric" (func $record (param i32 i64) (result i32)))
  (import "env" "proxy_get_metric" (func $get (param i32 i32) (result i32)))
  ;; @str $requests "requests"
  ;; @str $define_a_counter "define a counter"
  ;; @str $increment_by_5 "increment by 5"
  ;; @str $increment_by_0 "increment by 0"
  ;; @str $increment_by_1 "increment by -1"
  ;; @str $record_3_on_a_counter "record 3 on a counter"
  ;; @str $counter_value "counter value"
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (local $id i32)
    (call $check_eq (global.get $define_a_counter) (global.get $define_a_counter_len) (i32.const 0)
      (call $define (i32.const 0) (global.get $requests) (global.get $requests_len) (i32.const 2048)))
    (local.set $id (i32.load (i32.const 2048)))
    (call $check_eq (global.get $increment_by_5) (global.get $increment_by_5_len) (i32.const 0) (call $inc (local.get $id) (i64.const 5)))
    (call $check_eq (global.get $increment_by_0) (global.get $increment_by_0_len) (i32.const 2) (call $inc (local.get $id) (i64.const 0)))
    (call $check_eq (global.get $increment_by_1) (global.get $increment_by_1_len) (i32.const 2) (call $inc (local.get $id) (i64.const -1)))
    (call $check_eq (global.get $record_3_on_a_counter) (global.get $record_3_on_a_counter_len) (i32.const 0) (call $record (local.get $id) (i64.const 3)))
    (drop (call $get (local.get $id) (i32.const 2056)))
    (call $check_eq (global.get $counter_value) (global.get $counter_value_len) (i32.const 8) (i32.load (i32.const 2056)))
    (i32.const 0)))
