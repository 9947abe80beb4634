(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_buffer_bytes" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
  ;; @str $get_buffer_bytes_with_a "get_buffer_bytes with a buffer type above 8"
  ;; @str $set_buffer_bytes_with_a "set_buffer_bytes with a buffer type above 8"
  ;; @str $get_buffer_status_with_a "get_buffer_status with a buffer type above 8"
  ;; @str $request_body_length "request body length afterwards"
  (func $all (param $type i32)
    (call $check_eq (global.get $get_buffer_bytes_with_a) (global.get $get_buffer_bytes_with_a_len) (i32.const 2)
      (call $get (local.get $type) (i32.const 0) (i32.const 10) (i32.const 0xfffffffc) (i32.const 0xfffffffc)))
    (call $check_eq (global.get $set_buffer_bytes_with_a) (global.get $set_buffer_bytes_with_a_len) (i32.const 2)
      (call $set (local.get $type) (i32.const 0) (i32.const 0) (i32.const 0xfffffff0) (i32.const 32)))
    (call $check_eq (global.get $get_buffer_status_with_a) (global.get $get_buffer_status_with_a_len) (i32.const 2)
      (call $status (local.get $type) (i32.const 0xfffffffc) (i32.const 0xfffffffc))))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $all (i32.const 9))
    (call $all (i32.const 0xffffffff))
    (drop (call $status (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $request_body_length) (global.get $request_body_length_len) (i32.const 3) (i32.load (i32.const 2048)))
    (i32.const 0)))
