(module
;; @include base
  (import "env" "proxy_define_metric" (func $define (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_increment_metric" (func $inc (param i32 i64) (result i32)))
  (global $id (mut i32) (i32.const 0))
  ;; @str $requests_total "requests_total"
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (drop (call $define (i32.const 0) (global.get $requests_total) (global.get $requests_total_len) (i32.const 2048)))
    (global.set $id (i32.load (i32.const 2048)))
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (drop (call $inc (global.get $id) (i64.const 1)))
    (i32.const 0)))
