(module
;; @include base
  (import "env" "proxy_send_local_response" (func $reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (global $streams (mut i32) (i32.const 0))
  ;; @str $teapot "teapot"
  ;; one pair announced, its lengths run past the end
  ;; @str $pairs_x_bad "\01\00\00\00\05\00\00\00\09\00\00\00x-bad\00"
  ;; @str $send_local_response_with "send_local_response with malformed headers"
  ;; @str $send_local_response_with_details "send_local_response with details out of memory"
  ;; @str $send_local_response_with_body "send_local_response with body out of memory"
  ;; @str $send_local_response_with_headers "send_local_response with headers out of memory"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (global.set $streams (i32.add (global.get $streams) (i32.const 1)))
    (if (i32.eq (global.get $streams) (i32.const 1))
      (then
        (call $check_eq (global.get $send_local_response_with) (global.get $send_local_response_with_len) (i32.const 0)
          (call $reply (i32.const 418) (i32.const 0) (i32.const 0) (global.get $teapot) (global.get $teapot_len)
            (global.get $pairs_x_bad) (global.get $pairs_x_bad_len) (i32.const -1)))))
    (if (i32.eq (global.get $streams) (i32.const 2))
      (then
        (call $check_eq (global.get $send_local_response_with_details) (global.get $send_local_response_with_details_len) (i32.const 6)
          (call $reply (i32.const 403) (i32.const 0xfffffff0) (i32.const 32) (global.get $teapot) (global.get $teapot_len)
            (i32.const 0) (i32.const 0) (i32.const -1)))
        (call $check_eq (global.get $send_local_response_with_body) (global.get $send_local_response_with_body_len) (i32.const 6)
          (call $reply (i32.const 403) (i32.const 0) (i32.const 0) (i32.const 262140) (i32.const 8)
            (i32.const 0) (i32.const 0) (i32.const -1)))
        (call $check_eq (global.get $send_local_response_with_headers) (global.get $send_local_response_with_headers_len) (i32.const 6)
          (call $reply (i32.const 403) (i32.const 0) (i32.const 0) (global.get $teapot) (global.get $teapot_len)
            (i32.const 262100) (i32.const 100) (i32.const -1)))))
    (i32.const 0)))
