(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))
  (import "env" "proxy_set_effective_context" (func $effective (param i32) (result i32)))
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (global $conn (mut i32) (i32.const 0))
  ;; @str $set_tick_period_milliseconds "set_tick_period_milliseconds(10)"
  ;; @str $set_effective_context "set_effective_context(connection)"
  ;; @str $continue_stream_downstream "continue_stream(DOWNSTREAM) from a tick"
  (func (export "proxy_on_downstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (if (i32.eqz (global.get $conn))
      (then (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $tick (i32.const 10)))))
    (global.set $conn (local.get $ctx))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $root i32)
    (if (i32.eqz (global.get $conn)) (then (return)))
    (call $check_eq (global.get $set_effective_context) (global.get $set_effective_context_len) (i32.const 0) (call $effective (global.get $conn)))
    (call $check_eq (global.get $continue_stream_downstream) (global.get $continue_stream_downstream_len) (i32.const 0) (call $continue (i32.const 2)))
    (drop (call $tick (i32.const 0))))
  (func (export "proxy_on_downstream_connection_close") (param i32 i32)))
