(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))
  (import "env" "proxy_set_effective_context" (func $effective (param i32) (result i32)))
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (global $stream (mut i32) (i32.const 0))
  ;; @str $path ":path"
  ;; @str $x_late "x-late"
  ;; @str $s_1 "1"
  ;; @str $continue_stream_http_request "continue_stream(HTTP_REQUEST)"
  ;; @str $get_header_map_value_request "get_header_map_value(request headers) after the resume"
  ;; @str $add_header_map_value_request "add_header_map_value(request headers) after the resume"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (global.set $stream (local.get $ctx))
    (drop (call $tick (i32.const 10)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $root i32)
    (if (i32.eqz (global.get $stream)) (then (return)))
    (drop (call $effective (global.get $stream)))
    (call $check_eq (global.get $continue_stream_http_request) (global.get $continue_stream_http_request_len) (i32.const 0) (call $continue (i32.const 0)))
    (drop (call $tick (i32.const 0)))
    (global.set $stream (i32.const 0)))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $get_header_map_value_request) (global.get $get_header_map_value_request_len) (i32.const 2)
      (call $get (i32.const 0) (global.get $path) (global.get $path_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $add_header_map_value_request) (global.get $add_header_map_value_request_len) (i32.const 2)
      (call $add (i32.const 0) (global.get $x_late) (global.get $x_late_len) (global.get $s_1) (global.get $s_1_len)))
    (i32.const 0)))
