(module
;; @include base
  (import "env" "proxy_send_local_response" (func $reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $body (param i32 i32 i32 i32 i32) (result i32)))
  (global $replies_seen (mut i32) (i32.const 0))
  ;; @str $payload_too_large "payload too large"
  ;; @str $too_big "too big"
  ;; @str $send_local_response_status "send_local_response status"
  ;; @str $response_body_callbacks "response body callbacks inside send_local_response"
  ;; @str $reply_body_seen_by_on "reply body seen by on_response_body"
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $send_local_response_status) (global.get $send_local_response_status_len) (i32.const 0)
      (call $reply (i32.const 413) (global.get $payload_too_large) (global.get $payload_too_large_len) (global.get $too_big) (global.get $too_big_len)
        (i32.const 0) (i32.const 0) (i32.const -1)))
    (call $check_eq (global.get $response_body_callbacks) (global.get $response_body_callbacks_len) (i32.const 0) (global.get $replies_seen))
    (i32.const 0))
  (func (export "proxy_on_response_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (global.set $replies_seen (i32.const 1))
    (i32.store (i32.const 2052) (i32.const -1))
    (drop (call $body (i32.const 1) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $reply_body_seen_by_on) (global.get $reply_body_seen_by_on_len) (i32.const 7) (i32.load (i32.const 2052)))
    (if (i32.eq (i32.load (i32.const 2052)) (i32.const 7))
      (then (call $check_bytes (global.get $reply_body_seen_by_on) (global.get $reply_body_seen_by_on_len) (i32.load (i32.const 2048)) (global.get $too_big) (global.get $too_big_len))))
    (i32.const 0)))
