(module
;; @include base
  (import "env" "proxy_grpc_call" (func $grpc_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_stream" (func $grpc_stream (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_send" (func $grpc_send (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_cancel" (func $grpc_cancel (param i32) (result i32)))
  (import "env" "proxy_grpc_close" (func $grpc_close (param i32) (result i32)))
  ;; @str $call_to_an_unknown_cluster "call to an unknown cluster"
  ;; @str $nowhere "nowhere"
  ;; @str $pwconf_echo "pwconf.Echo"
  ;; @str $say "Say"
  ;; @str $x "x"
  ;; @str $stream_to_an_unknown_cluster "stream to an unknown cluster"
  ;; @str $call_with_a_wild_service "call with a wild service pointer"
  ;; @str $grpc_backend "grpc_backend"
  ;; @str $open_a_stream "open a stream"
  ;; @str $open_a_call "open a call"
  ;; @str $send_on_a_call_token "send on a call token"
  ;; @str $m "m"
  ;; @str $send_with_a_wild_message "send with a wild message pointer"
  ;; @str $send_on_an_unknown_stream "send on an unknown stream"
  ;; @str $cancel_of_an_id_of_no_grpc "cancel of an id of no gRPC kind"
  ;; @str $close_of_an_id_of_no_grpc "close of an id of no gRPC kind"
  ;; @str $cancel_of_an_unknown_call "cancel of an unknown call"
  ;; @str $close_of_an_unknown_stream "close of an unknown stream"
  ;; @str $cancel_the_stream "cancel the stream"
  ;; @str $cancel_the_call "cancel the call"

  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (local $stream i32) (local $call i32)
    (call $check_eq (global.get $call_to_an_unknown_cluster) (global.get $call_to_an_unknown_cluster_len) (i32.const 4)
      (call $grpc_call (global.get $nowhere) (global.get $nowhere_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (global.get $x) (global.get $x_len) (i32.const 0) (i32.const 2048)))
    (call $check_eq (global.get $stream_to_an_unknown_cluster) (global.get $stream_to_an_unknown_cluster_len) (i32.const 4)
      (call $grpc_stream (global.get $nowhere) (global.get $nowhere_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (i32.const 2048)))
    (call $check_eq (global.get $call_with_a_wild_service) (global.get $call_with_a_wild_service_len) (i32.const 6)
      (call $grpc_call (global.get $grpc_backend) (global.get $grpc_backend_len) (i32.const 0x7ffffff0) (i32.const 64) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (global.get $x) (global.get $x_len) (i32.const 0) (i32.const 2048)))
    (call $check_eq (global.get $open_a_stream) (global.get $open_a_stream_len) (i32.const 0)
      (call $grpc_stream (global.get $grpc_backend) (global.get $grpc_backend_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (i32.const 2048)))
    (local.set $stream (i32.load (i32.const 2048)))
    (call $check_eq (global.get $open_a_call) (global.get $open_a_call_len) (i32.const 0)
      (call $grpc_call (global.get $grpc_backend) (global.get $grpc_backend_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (global.get $x) (global.get $x_len) (i32.const 0) (i32.const 2052)))
    (local.set $call (i32.load (i32.const 2052)))
    (call $check_eq (global.get $send_on_a_call_token) (global.get $send_on_a_call_token_len) (i32.const 2)
      (call $grpc_send (local.get $call) (global.get $m) (global.get $m_len) (i32.const 0)))
    (call $check_eq (global.get $send_with_a_wild_message) (global.get $send_with_a_wild_message_len) (i32.const 6)
      (call $grpc_send (local.get $stream) (i32.const 0x7ffffff0) (i32.const 64) (i32.const 0)))
    (call $check_eq (global.get $send_on_an_unknown_stream) (global.get $send_on_an_unknown_stream_len) (i32.const 1)
      (call $grpc_send (i32.add (local.get $stream) (i32.const 400)) (global.get $m) (global.get $m_len) (i32.const 0)))
    (call $check_eq (global.get $cancel_of_an_id_of_no_grpc) (global.get $cancel_of_an_id_of_no_grpc_len) (i32.const 2) (call $grpc_cancel (i32.const 4)))
    (call $check_eq (global.get $close_of_an_id_of_no_grpc) (global.get $close_of_an_id_of_no_grpc_len) (i32.const 2) (call $grpc_close (i32.const 8)))
    (call $check_eq (global.get $cancel_of_an_unknown_call) (global.get $cancel_of_an_unknown_call_len) (i32.const 1)
      (call $grpc_cancel (i32.add (local.get $call) (i32.const 400))))
    (call $check_eq (global.get $close_of_an_unknown_stream) (global.get $close_of_an_unknown_stream_len) (i32.const 1)
      (call $grpc_close (i32.add (local.get $stream) (i32.const 400))))
    (call $check_eq (global.get $cancel_the_stream) (global.get $cancel_the_stream_len) (i32.const 0) (call $grpc_cancel (local.get $stream)))
    (call $check_eq (global.get $cancel_the_call) (global.get $cancel_the_call_len) (i32.const 0) (call $grpc_cancel (local.get $call)))
    (i32.const 1))
)
