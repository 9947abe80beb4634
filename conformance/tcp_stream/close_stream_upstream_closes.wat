(module
;; @include base
  (import "env" "proxy_close_stream" (func $close (param i32) (result i32)))
  (global $data_calls (mut i32) (i32.const 0))
  ;; @str $close_stream_upstream "close_stream(UPSTREAM)"
  ;; @str $data_callbacks_in_all_one "data callbacks in all (one each way, none after the close)"
  (func (export "proxy_on_downstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (global.set $data_calls (i32.add (global.get $data_calls) (i32.const 1)))
    (i32.const 0))
  (func (export "proxy_on_upstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (global.set $data_calls (i32.add (global.get $data_calls) (i32.const 1)))
    (call $check_eq (global.get $close_stream_upstream) (global.get $close_stream_upstream_len) (i32.const 0) (call $close (i32.const 3)))
    (i32.const 0))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (call $check_eq (global.get $data_callbacks_in_all_one) (global.get $data_callbacks_in_all_one_len) (i32.const 2) (global.get $data_calls))
    (i32.const 1))
  (func (export "proxy_on_log") (param i32))
  (func (export "proxy_on_delete") (param i32)))
