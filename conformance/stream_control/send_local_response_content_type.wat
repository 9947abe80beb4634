(module
;; @include base
  (import "env" "proxy_send_local_response" (func $reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (global $streams (mut i32) (i32.const 0))
  ;; @str $send_local_response_status "send_local_response status"
  ;; @str $empty_json "{}"
  ;; @str $plain "plain"
  ;; @str $pairs_ontent_type_application_json "\01\00\00\00\0c\00\00\00\10\00\00\00content-type\00application/json\00"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (global.set $streams (i32.add (global.get $streams) (i32.const 1)))
    (if (i32.eq (global.get $streams) (i32.const 1))
      (then (call $check_eq (global.get $send_local_response_status) (global.get $send_local_response_status_len) (i32.const 0)
        (call $reply (i32.const 400) (i32.const 0) (i32.const 0) (global.get $empty_json) (global.get $empty_json_len)
          (global.get $pairs_ontent_type_application_json) (global.get $pairs_ontent_type_application_json_len) (i32.const -1)))))
    (if (i32.eq (global.get $streams) (i32.const 2))
      (then (call $check_eq (global.get $send_local_response_status) (global.get $send_local_response_status_len) (i32.const 0)
        (call $reply (i32.const 400) (i32.const 0) (i32.const 0) (global.get $plain) (global.get $plain_len)
          (i32.const 0) (i32.const 0) (i32.const -1)))))
    (if (i32.eq (global.get $streams) (i32.const 3))
      (then (call $check_eq (global.get $send_local_response_status) (global.get $send_local_response_status_len) (i32.const 0)
        (call $reply (i32.const 204) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
          (i32.const 0) (i32.const 0) (i32.const -1)))))
    (i32.const 0)))
