(module
;; @include base
  (import "env" "proxy_grpc_stream" (func $grpc_stream (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_send" (func $grpc_send (param i32 i32 i32 i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  (global $token (mut i32) (i32.const 0))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  ;; @str $grpc_stream_status "grpc_stream status"
  ;; @str $grpc_backend "grpc_backend"
  ;; @str $pwconf_chat "pwconf.Chat"
  ;; @str $talk "Talk"
  ;; @str $pairs_x_req_1 "\01\00\00\00\05\00\00\00\01\00\00\00x-req\001\00"
  ;; @str $stream_token_is_not_0 "stream token is not 0"
  ;; @str $first_send "first send"
  ;; @str $hello "hello"
  ;; @str $metadata_token "metadata token"
  ;; @str $message_root "message root"
  ;; @str $last_send_with_end_stream "last send with end_stream"
  ;; @str $bye "bye"
  ;; @str $messages_before_close "messages before close"
  ;; @str $stream_close_status "stream close status"
  ;; @str $send_after_close "send after close"
  ;; @str $late "late"

  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $grpc_stream_status) (global.get $grpc_stream_status_len) (i32.const 0)
      (call $grpc_stream (global.get $grpc_backend) (global.get $grpc_backend_len) (global.get $pwconf_chat) (global.get $pwconf_chat_len) (global.get $talk) (global.get $talk_len) (global.get $pairs_x_req_1) (global.get $pairs_x_req_1_len)
        (i32.const 2048)))
    (global.set $token (i32.load (i32.const 2048)))
    (call $check_eq (global.get $stream_token_is_not_0) (global.get $stream_token_is_not_0_len) (i32.const 1) (i32.ne (global.get $token) (i32.const 0)))
    (call $check_eq (global.get $first_send) (global.get $first_send_len) (i32.const 0)
      (call $grpc_send (global.get $token) (global.get $hello) (global.get $hello_len) (i32.const 0)))
    (i32.const 1))
  (global $received (mut i32) (i32.const 0))
  (func (export "proxy_on_grpc_receive_initial_metadata") (param $root i32) (param $token i32) (param $n i32)
    (call $check_eq (global.get $metadata_token) (global.get $metadata_token_len) (global.get $token) (local.get $token)))
  (func (export "proxy_on_grpc_receive") (param $root i32) (param $token i32) (param $size i32)
    (call $check_eq (global.get $message_root) (global.get $message_root_len) (global.get $root) (local.get $root))
    (global.set $received (i32.add (global.get $received) (i32.const 1)))
    ;; after the second message the guest half-closes; the upstream then finishes
    (if (i32.eq (global.get $received) (i32.const 2))
      (then
        (call $check_eq (global.get $last_send_with_end_stream) (global.get $last_send_with_end_stream_len) (i32.const 0)
          (call $grpc_send (local.get $token) (global.get $bye) (global.get $bye_len) (i32.const 1))))))
  (func (export "proxy_on_grpc_close") (param $root i32) (param $token i32) (param $code i32)
    (call $check_eq (global.get $messages_before_close) (global.get $messages_before_close_len) (i32.const 2) (global.get $received))
    (call $check_eq (global.get $stream_close_status) (global.get $stream_close_status_len) (i32.const 0) (local.get $code))
    ;; the stream is gone once closed
    (call $check_eq (global.get $send_after_close) (global.get $send_after_close_len) (i32.const 1)
      (call $grpc_send (local.get $token) (global.get $late) (global.get $late_len) (i32.const 0))))
)
