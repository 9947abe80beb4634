(module
;; @include base
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (import "env" "proxy_close_stream" (func $close (param i32) (result i32)))
  ;; @str $continue_stream_4 "continue_stream(4)"
  ;; @str $continue_stream_0xffffffff "continue_stream(0xffffffff)"
  ;; @str $close_stream_4 "close_stream(4)"
  ;; @str $close_stream_0xffffffff "close_stream(0xffffffff)"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $continue_stream_4) (global.get $continue_stream_4_len) (i32.const 2) (call $continue (i32.const 4)))
    (call $check_eq (global.get $continue_stream_0xffffffff) (global.get $continue_stream_0xffffffff_len) (i32.const 2) (call $continue (i32.const 0xffffffff)))
    (call $check_eq (global.get $close_stream_4) (global.get $close_stream_4_len) (i32.const 2) (call $close (i32.const 4)))
    (call $check_eq (global.get $close_stream_0xffffffff) (global.get $close_stream_0xffffffff_len) (i32.const 2) (call $close (i32.const 0xffffffff)))
    (i32.const 0)))
