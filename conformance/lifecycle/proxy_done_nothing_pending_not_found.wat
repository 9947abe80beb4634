(module
;; @include base
  (import "env" "proxy_done" (func $proxy_done (result i32)))
  ;; @str $proxy_done_in_on_configure "proxy_done in on_configure"
  ;; @str $proxy_done_in_a_stream "proxy_done in a stream callback"
  ;; @str $proxy_done_in_a_root_s_on "proxy_done in a root's on_done"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $check_eq (global.get $proxy_done_in_on_configure) (global.get $proxy_done_in_on_configure_len) (i32.const 1) (call $proxy_done))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $proxy_done_in_a_stream) (global.get $proxy_done_in_a_stream_len) (i32.const 1) (call $proxy_done))
    (i32.const 0))
  (func (export "proxy_on_done") (param i32) (result i32)
    (call $check_eq (global.get $proxy_done_in_a_root_s_on) (global.get $proxy_done_in_a_root_s_on_len) (i32.const 1) (call $proxy_done))
    (i32.const 1)))
