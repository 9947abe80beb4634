(module
;; @include base
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (global $calls (mut i32) (i32.const 0))
  ;; @str $continue_stream_http_request "continue_stream(HTTP_REQUEST) with nothing paused"
  ;; @str $continue_stream_http "continue_stream(HTTP_RESPONSE) with nothing paused"
  ;; @str $callbacks_seen_each_of_the "callbacks seen (each of the four once)"
  (func $count (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $count)
    (call $check_eq (global.get $continue_stream_http_request) (global.get $continue_stream_http_request_len) (i32.const 0) (call $continue (i32.const 0)))
    (call $check_eq (global.get $continue_stream_http) (global.get $continue_stream_http_len) (i32.const 0) (call $continue (i32.const 1)))
    (i32.const 0))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $count)
    (call $check_eq (global.get $continue_stream_http_request) (global.get $continue_stream_http_request_len) (i32.const 0) (call $continue (i32.const 0)))
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $count)
    (call $check_eq (global.get $continue_stream_http) (global.get $continue_stream_http_len) (i32.const 0) (call $continue (i32.const 1)))
    (i32.const 0))
  (func (export "proxy_on_response_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $count)
    (i32.const 0))
  (func (export "proxy_on_log") (param $ctx i32)
    (call $check_eq (global.get $callbacks_seen_each_of_the) (global.get $callbacks_seen_each_of_the_len) (i32.const 4) (global.get $calls))))
