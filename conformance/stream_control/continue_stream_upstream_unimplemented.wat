(module
;; @include base
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (data (i32.const 16) "continue_stream(UPSTREAM) in an HTTP stream")
  (data (i32.const 64) "continue_stream(UPSTREAM) in a TCP connection")
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (i32.const 16) (i32.const 43) (i32.const 12) (call $continue (i32.const 3)))
    (i32.const 0))
  (func (export "proxy_on_upstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (i32.const 64) (i32.const 45) (i32.const 12) (call $continue (i32.const 3)))
    (i32.const 0)))
