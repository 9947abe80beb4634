(module
;; @include base
  (import "env" "proxy_close_stream" (func $close (param i32) (result i32)))
  ;; @str $close_stream_http_request "close_stream(HTTP_REQUEST)"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $close_stream_http_request) (global.get $close_stream_http_request_len) (i32.const 0) (call $close (i32.const 0)))
    (i32.const 0))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_response_body") (param i32 i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_log") (param i32))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))
