(module
;; @include base
  (import "env" "proxy_send_local_response" (func $reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $body (param i32 i32 i32 i32 i32) (result i32)))
  (global $response_headers_seen (mut i32) (i32.const 0))
  ;; @str $access_denied_by_wasm "access denied by wasm"
  ;; @str $denied "denied"
  ;; @str $status ":status"
  ;; @str $s_403 "403"
  ;; @str $x_reason "x-reason"
  ;; @str $policy "policy"
  ;; @str $send_local_response_status "send_local_response status"
  ;; @str $response_callbacks_run "response callbacks run inside send_local_response"
  ;; @str $reply_status_seen_by_on "reply :status seen by on_response_headers"
  ;; @str $reply_x_reason_seen_by_on "reply x-reason seen by on_response_headers"
  ;; @str $reply_end_of_stream_on "reply end_of_stream on headers (a body follows)"
  ;; @str $reply_body_seen_by_on "reply body seen by on_response_body"
  ;; @str $pairs_x_reason_policy "\01\00\00\00\08\00\00\00\06\00\00\00x-reason\00policy\00"
  (func $expect_value (param $map i32) (param $key i32) (param $key_len i32) (param $want i32) (param $want_len i32) (param $what i32) (param $what_len i32)
    (i32.store (i32.const 2052) (i32.const -1))
    (drop (call $get (local.get $map) (local.get $key) (local.get $key_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $what) (local.get $what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $send_local_response_status) (global.get $send_local_response_status_len) (i32.const 0)
      (call $reply (i32.const 403) (global.get $access_denied_by_wasm) (global.get $access_denied_by_wasm_len) (global.get $denied) (global.get $denied_len)
        (global.get $pairs_x_reason_policy) (global.get $pairs_x_reason_policy_len) (i32.const -1)))
    ;; deferred: the reply is sent once this callback returns
    (call $check_eq (global.get $response_callbacks_run) (global.get $response_callbacks_run_len) (i32.const 0) (global.get $response_headers_seen))
    ;; CONTINUE, which the host must override
    (i32.const 0))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_response_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (global.set $response_headers_seen (i32.const 1))
    (call $expect_value (i32.const 2) (global.get $status) (global.get $status_len) (global.get $s_403) (global.get $s_403_len) (global.get $reply_status_seen_by_on) (global.get $reply_status_seen_by_on_len))
    (call $expect_value (i32.const 2) (global.get $x_reason) (global.get $x_reason_len) (global.get $policy) (global.get $policy_len) (global.get $reply_x_reason_seen_by_on) (global.get $reply_x_reason_seen_by_on_len))
    (call $check_eq (global.get $reply_end_of_stream_on) (global.get $reply_end_of_stream_on_len) (i32.const 0) (local.get $eos))
    (i32.const 0))
  (func (export "proxy_on_response_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (i32.store (i32.const 2052) (i32.const -1))
    (drop (call $body (i32.const 1) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $reply_body_seen_by_on) (global.get $reply_body_seen_by_on_len) (i32.const 6) (i32.load (i32.const 2052)))
    (if (i32.eq (i32.load (i32.const 2052)) (i32.const 6))
      (then (call $check_bytes (global.get $reply_body_seen_by_on) (global.get $reply_body_seen_by_on_len) (i32.load (i32.const 2048)) (global.get $denied) (global.get $denied_len))))
    (i32.const 0))
  (func (export "proxy_on_log") (param i32))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))
