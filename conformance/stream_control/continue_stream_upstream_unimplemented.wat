(module
;; @include base
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  ;; @str $continue_stream_upstream_in "continue_stream(UPSTREAM) in an HTTP stream"
  ;; @str $continue_stream_upstream_in_a "continue_stream(UPSTREAM) in a TCP connection"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $continue_stream_upstream_in) (global.get $continue_stream_upstream_in_len) (i32.const 12) (call $continue (i32.const 3)))
    (i32.const 0))
  (func (export "proxy_on_upstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $continue_stream_upstream_in_a) (global.get $continue_stream_upstream_in_a_len) (i32.const 12) (call $continue (i32.const 3)))
    (i32.const 0)))
