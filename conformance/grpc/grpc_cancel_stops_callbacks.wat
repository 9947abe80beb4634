(module
;; @include base
  (import "env" "proxy_grpc_call" (func $grpc_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_stream" (func $grpc_stream (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_send" (func $grpc_send (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_cancel" (func $grpc_cancel (param i32) (result i32)))
  (import "env" "proxy_grpc_close" (func $grpc_close (param i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  (global $token (mut i32) (i32.const 0))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  ;; @str $open_a_stream "open a stream"
  ;; @str $grpc_backend "grpc_backend"
  ;; @str $pwconf_echo "pwconf.Echo"
  ;; @str $say "Say"
  ;; @str $half_close_it "half-close it"
  ;; @str $second_call "second call"
  ;; @str $b "b"
  ;; @str $tokens_differ "tokens differ"
  ;; @str $close_of_a_call "close of a call"
  ;; @str $cancel_after_close "cancel after close"
  ;; @str $metadata_for_the_live_stream "metadata for the live stream"
  ;; @str $cancel_status "cancel status"
  ;; @str $second_cancel "second cancel"
  ;; @str $a_message_after_cancel "a message after cancel"
  ;; @str $a_close_after_cancel "a close after cancel"

  (global $second (mut i32) (i32.const 0))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $open_a_stream) (global.get $open_a_stream_len) (i32.const 0)
      (call $grpc_stream (global.get $grpc_backend) (global.get $grpc_backend_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (i32.const 2048)))
    (global.set $token (i32.load (i32.const 2048)))
    (call $check_eq (global.get $half_close_it) (global.get $half_close_it_len) (i32.const 0) (call $grpc_close (global.get $token)))
    (call $check_eq (global.get $second_call) (global.get $second_call_len) (i32.const 0)
      (call $grpc_call (global.get $grpc_backend) (global.get $grpc_backend_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (global.get $b) (global.get $b_len) (i32.const 0) (i32.const 2052)))
    (global.set $second (i32.load (i32.const 2052)))
    (call $check_eq (global.get $tokens_differ) (global.get $tokens_differ_len) (i32.const 1) (i32.ne (global.get $token) (global.get $second)))
    ;; the second call is closed right away: for a unary call that is a cancel
    (call $check_eq (global.get $close_of_a_call) (global.get $close_of_a_call_len) (i32.const 0) (call $grpc_close (global.get $second)))
    (call $check_eq (global.get $cancel_after_close) (global.get $cancel_after_close_len) (i32.const 1) (call $grpc_cancel (global.get $second)))
    (i32.const 1))
  (func (export "proxy_on_grpc_receive_initial_metadata") (param $root i32) (param $token i32) (param $n i32)
    (call $check_eq (global.get $metadata_for_the_live_stream) (global.get $metadata_for_the_live_stream_len) (global.get $token) (local.get $token))
    ;; cancel from inside the first callback: nothing more may arrive for it
    (call $check_eq (global.get $cancel_status) (global.get $cancel_status_len) (i32.const 0) (call $grpc_cancel (local.get $token)))
    (call $check_eq (global.get $second_cancel) (global.get $second_cancel_len) (i32.const 1) (call $grpc_cancel (local.get $token))))
  (func (export "proxy_on_grpc_receive") (param i32 i32 i32)
    (call $check_eq (global.get $a_message_after_cancel) (global.get $a_message_after_cancel_len) (i32.const 0) (i32.const 1)))
  (func (export "proxy_on_grpc_close") (param i32 i32 i32)
    (call $check_eq (global.get $a_close_after_cancel) (global.get $a_close_after_cancel_len) (i32.const 0) (i32.const 1)))
)
