(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
  ;; @str $get_buffer_bytes_status "get_buffer_bytes status outside the body callback"
  ;; @str $pointer_outside_the_body "pointer outside the body callback"
  ;; @str $length_outside_the_body "length outside the body callback"
  ;; @str $get_buffer_status_status "get_buffer_status status outside the body callback"
  ;; @str $size_outside_the_body "size outside the body callback"
  (func $empty (param $buffer i32)
    (i32.store (i32.const 2048) (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (call $check_eq (global.get $get_buffer_bytes_status) (global.get $get_buffer_bytes_status_len) (i32.const 0)
      (call $get (local.get $buffer) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $pointer_outside_the_body) (global.get $pointer_outside_the_body_len) (i32.const 0) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $length_outside_the_body) (global.get $length_outside_the_body_len) (i32.const 0) (i32.load (i32.const 2052)))
    (i32.store (i32.const 2056) (i32.const 0x5a5a5a5a))
    (call $check_eq (global.get $get_buffer_status_status) (global.get $get_buffer_status_status_len) (i32.const 0)
      (call $status (local.get $buffer) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $size_outside_the_body) (global.get $size_outside_the_body_len) (i32.const 0) (i32.load (i32.const 2056))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $empty (i32.const 0))
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $empty (i32.const 1))
    (call $empty (i32.const 0))
    (i32.const 0))
  (func (export "proxy_on_log") (param $ctx i32)
    (call $empty (i32.const 0))
    (call $empty (i32.const 1))))
