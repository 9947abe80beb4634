(module
;; @include base
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (global $in_headers (mut i32) (i32.const 0))
  (data (i32.const 16) "continue_stream(HTTP_REQUEST) inside the pausing callback")
  (data (i32.const 80) "body callback while the headers callback still runs")
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (global.set $in_headers (i32.const 1))
    (call $check_eq (i32.const 16) (i32.const 57) (i32.const 0) (call $continue (i32.const 0)))
    (global.set $in_headers (i32.const 0))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (i32.const 80) (i32.const 51) (i32.const 0) (global.get $in_headers))
    (i32.const 0)))
