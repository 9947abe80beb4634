(module
;; @include base
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (global $in_headers (mut i32) (i32.const 0))
  ;; @str $continue_stream_http_request "continue_stream(HTTP_REQUEST) inside the pausing callback"
  ;; @str $body_callback_while_the "body callback while the headers callback still runs"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (global.set $in_headers (i32.const 1))
    (call $check_eq (global.get $continue_stream_http_request) (global.get $continue_stream_http_request_len) (i32.const 0) (call $continue (i32.const 0)))
    (global.set $in_headers (i32.const 0))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $body_callback_while_the) (global.get $body_callback_while_the_len) (i32.const 0) (global.get $in_headers))
    (i32.const 0)))
