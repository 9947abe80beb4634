(module
;; @include base
  (import "env" "proxy_grpc_stream" (func $grpc_stream (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_send" (func $grpc_send (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $buffer (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_status" (func $status (param i32 i32 i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  (global $token (mut i32) (i32.const 0))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  ;; @str $grpc_stream_status "grpc_stream status"
  ;; @str $grpc_backend "grpc_backend"
  ;; @str $pwconf_echo "pwconf.Echo"
  ;; @str $say "Say"
  ;; @str $token_is_not_0 "token is not 0"
  ;; @str $send_with_end_stream "send with end_stream"
  ;; @str $ping "ping"
  ;; @str $callback_root_id "callback root id"
  ;; @str $callback_token "callback token"
  ;; @str $initial_metadata_count "initial metadata count"
  ;; @str $initial_metadata_lookup "initial metadata lookup"
  ;; @str $x_md "x-md"
  ;; @str $x_md_value "x-md value"
  ;; @str $v1 "v1"
  ;; @str $message_size "message size"
  ;; @str $message_read "message read"
  ;; @str $message_bytes "message bytes"
  ;; @str $pong "pong"
  ;; @str $trailing_metadata_count "trailing metadata count"
  ;; @str $trailing_metadata_lookup "trailing metadata lookup"
  ;; @str $x_tr "x-tr"
  ;; @str $x_tr_value "x-tr value"
  ;; @str $t1 "t1"
  ;; @str $close_status "close status"
  ;; @str $get_status_status "get_status status"
  ;; @str $get_status_code "get_status code"
  ;; @str $get_status_message_size "get_status message size"
  ;; @str $get_status_message "get_status message"
  ;; @str $denied "denied"

  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $grpc_stream_status) (global.get $grpc_stream_status_len) (i32.const 0)
      (call $grpc_stream (global.get $grpc_backend) (global.get $grpc_backend_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0) (i32.const 2048)))
    (global.set $token (i32.load (i32.const 2048)))
    (call $check_eq (global.get $token_is_not_0) (global.get $token_is_not_0_len) (i32.const 1) (i32.ne (global.get $token) (i32.const 0)))
    ;; one message and the half-close at once: the upstream then answers in full
    (call $check_eq (global.get $send_with_end_stream) (global.get $send_with_end_stream_len) (i32.const 0)
      (call $grpc_send (global.get $token) (global.get $ping) (global.get $ping_len) (i32.const 1)))
    (i32.const 1))
  (func $owner (param $root i32) (param $token i32)
    (call $check_eq (global.get $callback_root_id) (global.get $callback_root_id_len) (global.get $root) (local.get $root))
    (call $check_eq (global.get $callback_token) (global.get $callback_token_len) (global.get $token) (local.get $token)))
  (func (export "proxy_on_grpc_receive_initial_metadata") (param $root i32) (param $token i32) (param $n i32)
    (call $owner (local.get $root) (local.get $token))
    (call $check_eq (global.get $initial_metadata_count) (global.get $initial_metadata_count_len) (i32.const 1) (local.get $n))
    (call $check_eq (global.get $initial_metadata_lookup) (global.get $initial_metadata_lookup_len) (i32.const 0)
      (call $header (i32.const 4) (global.get $x_md) (global.get $x_md_len) (i32.const 2056) (i32.const 2060)))
    (call $check_bytes (global.get $x_md_value) (global.get $x_md_value_len) (i32.load (i32.const 2056)) (global.get $v1) (global.get $v1_len)))
  (func (export "proxy_on_grpc_receive") (param $root i32) (param $token i32) (param $size i32)
    (call $owner (local.get $root) (local.get $token))
    (call $check_eq (global.get $message_size) (global.get $message_size_len) (i32.const 4) (local.get $size))
    (call $check_eq (global.get $message_read) (global.get $message_read_len) (i32.const 0)
      (call $buffer (i32.const 5) (i32.const 0) (local.get $size) (i32.const 2056) (i32.const 2060)))
    (call $check_bytes (global.get $message_bytes) (global.get $message_bytes_len) (i32.load (i32.const 2056)) (global.get $pong) (global.get $pong_len)))
  (func (export "proxy_on_grpc_receive_trailing_metadata") (param $root i32) (param $token i32) (param $n i32)
    (call $owner (local.get $root) (local.get $token))
    (call $check_eq (global.get $trailing_metadata_count) (global.get $trailing_metadata_count_len) (i32.const 1) (local.get $n))
    (call $check_eq (global.get $trailing_metadata_lookup) (global.get $trailing_metadata_lookup_len) (i32.const 0)
      (call $header (i32.const 5) (global.get $x_tr) (global.get $x_tr_len) (i32.const 2056) (i32.const 2060)))
    (call $check_bytes (global.get $x_tr_value) (global.get $x_tr_value_len) (i32.load (i32.const 2056)) (global.get $t1) (global.get $t1_len)))
  (func (export "proxy_on_grpc_close") (param $root i32) (param $token i32) (param $code i32)
    (call $owner (local.get $root) (local.get $token))
    (call $check_eq (global.get $close_status) (global.get $close_status_len) (i32.const 7) (local.get $code))
    (call $check_eq (global.get $get_status_status) (global.get $get_status_status_len) (i32.const 0)
      (call $status (i32.const 2064) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $get_status_code) (global.get $get_status_code_len) (i32.const 7) (i32.load (i32.const 2064)))
    (call $check_eq (global.get $get_status_message_size) (global.get $get_status_message_size_len) (i32.const 6) (i32.load (i32.const 2060)))
    (call $check_bytes (global.get $get_status_message) (global.get $get_status_message_len) (i32.load (i32.const 2056)) (global.get $denied) (global.get $denied_len)))
)
