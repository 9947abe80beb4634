(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))
  (import "env" "proxy_set_effective_context" (func $effective (param i32) (result i32)))
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (global $stream (mut i32) (i32.const 0))
  ;; @str $path ":path"
  ;; @str $paused "/paused"
  ;; @str $x_from_tick "x-from-tick"
  ;; @str $s_1 "1"
  ;; @str $set_effective_context_paused "set_effective_context(paused stream)"
  ;; @str $get_header_map_value_path "get_header_map_value(:path) while paused"
  ;; @str $path_read_while_paused ":path read while paused"
  ;; @str $add_header_map_value_while "add_header_map_value while paused"
  ;; @str $continue_stream_http_request "continue_stream(HTTP_REQUEST)"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (global.set $stream (local.get $ctx))
    (drop (call $tick (i32.const 10)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $root i32)
    (if (i32.eqz (global.get $stream)) (then (return)))
    (call $check_eq (global.get $set_effective_context_paused) (global.get $set_effective_context_paused_len) (i32.const 0) (call $effective (global.get $stream)))
    (call $check_eq (global.get $get_header_map_value_path) (global.get $get_header_map_value_path_len) (i32.const 0)
      (call $get (i32.const 0) (global.get $path) (global.get $path_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $path_read_while_paused) (global.get $path_read_while_paused_len) (i32.const 7) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $path_read_while_paused) (global.get $path_read_while_paused_len) (i32.load (i32.const 2048)) (global.get $paused) (global.get $paused_len))
    (call $check_eq (global.get $add_header_map_value_while) (global.get $add_header_map_value_while_len) (i32.const 0)
      (call $add (i32.const 0) (global.get $x_from_tick) (global.get $x_from_tick_len) (global.get $s_1) (global.get $s_1_len)))
    (call $check_eq (global.get $continue_stream_http_request) (global.get $continue_stream_http_request_len) (i32.const 0) (call $continue (i32.const 0)))
    (drop (call $tick (i32.const 0)))
    (global.set $stream (i32.const 0))))
