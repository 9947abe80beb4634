(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))
  (import "env" "proxy_set_effective_context" (func $effective (param i32) (result i32)))
  (import "env" "proxy_continue_request" (func $continue (result i32)))
  (global $stream (mut i32) (i32.const 0))
  (global $tick_returned (mut i32) (i32.const 0))
  (global $bodies (mut i32) (i32.const 0))
  ;; @str $set_tick_period_milliseconds "set_tick_period_milliseconds(10)"
  ;; @str $set_effective_context_paused "set_effective_context(paused stream)"
  ;; @str $continue_request "continue_request()"
  ;; @str $body_callbacks_before_the "body callbacks before the tick returned"
  ;; @str $body_callback_only_after_the "body callback only after the resuming tick returned"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (result i32)
    (global.set $stream (local.get $ctx))
    (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $tick (i32.const 10)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $root i32)
    (if (i32.eqz (global.get $stream)) (then (return)))
    (call $check_eq (global.get $set_effective_context_paused) (global.get $set_effective_context_paused_len) (i32.const 0) (call $effective (global.get $stream)))
    (call $check_eq (global.get $continue_request) (global.get $continue_request_len) (i32.const 0) (call $continue))
    ;; the resume is deferred: nothing was delivered inside the hostcall or while paused
    (call $check_eq (global.get $body_callbacks_before_the) (global.get $body_callbacks_before_the_len) (i32.const 0) (global.get $bodies))
    (drop (call $tick (i32.const 0)))
    (global.set $stream (i32.const 0))
    (global.set $tick_returned (i32.const 1)))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (global.set $bodies (i32.add (global.get $bodies) (i32.const 1)))
    (call $check_eq (global.get $body_callback_only_after_the) (global.get $body_callback_only_after_the_len) (i32.const 1) (global.get $tick_returned))
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param i32 i32) (result i32) (i32.const 0)))
