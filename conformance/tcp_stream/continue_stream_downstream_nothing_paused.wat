(module
;; @include base
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  ;; @str $continue_stream_downstream "continue_stream(DOWNSTREAM) with nothing paused"
  (func (export "proxy_on_downstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $continue_stream_downstream) (global.get $continue_stream_downstream_len) (i32.const 0) (call $continue (i32.const 2)))
    (i32.const 0)))
