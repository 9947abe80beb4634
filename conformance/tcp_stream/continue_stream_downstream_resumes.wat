(module
;; @include base
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (global $downstream_calls (mut i32) (i32.const 0))
  ;; @str $continue_stream_downstream "continue_stream(DOWNSTREAM)"
  (func (export "proxy_on_downstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (global.set $downstream_calls (i32.add (global.get $downstream_calls) (i32.const 1)))
    ;; pause the first chunk only
    (i32.eq (global.get $downstream_calls) (i32.const 1)))
  (func (export "proxy_on_upstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $continue_stream_downstream) (global.get $continue_stream_downstream_len) (i32.const 0) (call $continue (i32.const 2)))
    (i32.const 0)))
