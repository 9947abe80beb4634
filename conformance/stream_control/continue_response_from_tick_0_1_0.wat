(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))
  (import "env" "proxy_set_effective_context" (func $effective (param i32) (result i32)))
  (import "env" "proxy_continue_response" (func $continue (result i32)))
  (global $stream (mut i32) (i32.const 0))
  (global $tick_returned (mut i32) (i32.const 0))
  (global $bodies (mut i32) (i32.const 0))
  ;; @str $set_tick_period_milliseconds "set_tick_period_milliseconds(10)"
  ;; @str $set_effective_context_paused "set_effective_context(paused stream)"
  ;; @str $continue_response "continue_response()"
  ;; @str $response_body_callbacks "response body callbacks before the tick returned"
  ;; @str $response_body_callback_only "response body callback only after the resuming tick returned"
  (func (export "proxy_on_response_headers") (param $ctx i32) (param $n i32) (result i32)
    (global.set $stream (local.get $ctx))
    (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $tick (i32.const 10)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $root i32)
    (if (i32.eqz (global.get $stream)) (then (return)))
    (call $check_eq (global.get $set_effective_context_paused) (global.get $set_effective_context_paused_len) (i32.const 0) (call $effective (global.get $stream)))
    (call $check_eq (global.get $continue_response) (global.get $continue_response_len) (i32.const 0) (call $continue))
    (call $check_eq (global.get $response_body_callbacks) (global.get $response_body_callbacks_len) (i32.const 0) (global.get $bodies))
    (drop (call $tick (i32.const 0)))
    (global.set $stream (i32.const 0))
    (global.set $tick_returned (i32.const 1)))
  (func (export "proxy_on_response_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (global.set $bodies (i32.add (global.get $bodies) (i32.const 1)))
    (call $check_eq (global.get $response_body_callback_only) (global.get $response_body_callback_only_len) (i32.const 1) (global.get $tick_returned))
    (i32.const 0)))
