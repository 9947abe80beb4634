(module
;; @include base
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (import "env" "proxy_close_stream" (func $close (param i32) (result i32)))
  (data (i32.const 16) "continue_stream(4)")
  (data (i32.const 48) "continue_stream(0xffffffff)")
  (data (i32.const 80) "close_stream(4)")
  (data (i32.const 112) "close_stream(0xffffffff)")
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (i32.const 16) (i32.const 18) (i32.const 2) (call $continue (i32.const 4)))
    (call $check_eq (i32.const 48) (i32.const 27) (i32.const 2) (call $continue (i32.const 0xffffffff)))
    (call $check_eq (i32.const 80) (i32.const 15) (i32.const 2) (call $close (i32.const 4)))
    (call $check_eq (i32.const 112) (i32.const 24) (i32.const 2) (call $close (i32.const 0xffffffff)))
    (i32.const 0)))
