(module
;; @include base
  (import "env" "proxy_grpc_call" (func $grpc_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_cancel" (func $grpc_cancel (param i32) (result i32)))
  (import "env" "proxy_grpc_close" (func $grpc_close (param i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $buffer (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_status" (func $status (param i32 i32 i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  (global $token (mut i32) (i32.const 0))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  ;; @str $grpc_call_status "grpc_call status"
  ;; @str $grpc_backend "grpc_backend"
  ;; @str $pwconf_echo "pwconf.Echo"
  ;; @str $say "Say"
  ;; @str $ping "ping"
  ;; @str $token_is_not_0 "token is not 0"
  ;; @str $response_root_id "response root id"
  ;; @str $response_token "response token"
  ;; @str $response_size "response size"
  ;; @str $response_read "response read"
  ;; @str $response_bytes "response bytes"
  ;; @str $pong "pong"
  ;; @str $cancel_after_the_response "cancel after the response"
  ;; @str $a_close_after_a_successful "a close after a successful call"

  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $grpc_call_status) (global.get $grpc_call_status_len) (i32.const 0)
      (call $grpc_call (global.get $grpc_backend) (global.get $grpc_backend_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (global.get $ping) (global.get $ping_len) (i32.const 1000) (i32.const 2048)))
    (global.set $token (i32.load (i32.const 2048)))
    (call $check_eq (global.get $token_is_not_0) (global.get $token_is_not_0_len) (i32.const 1) (i32.ne (global.get $token) (i32.const 0)))
    (i32.const 1))
  (func (export "proxy_on_grpc_receive") (param $root i32) (param $token i32) (param $size i32)
    (call $check_eq (global.get $response_root_id) (global.get $response_root_id_len) (global.get $root) (local.get $root))
    (call $check_eq (global.get $response_token) (global.get $response_token_len) (global.get $token) (local.get $token))
    (call $check_eq (global.get $response_size) (global.get $response_size_len) (i32.const 4) (local.get $size))
    (call $check_eq (global.get $response_read) (global.get $response_read_len) (i32.const 0)
      (call $buffer (i32.const 5) (i32.const 0) (local.get $size) (i32.const 2056) (i32.const 2060)))
    (call $check_bytes (global.get $response_bytes) (global.get $response_bytes_len) (i32.load (i32.const 2056)) (global.get $pong) (global.get $pong_len))
    ;; the response ended the call
    (call $check_eq (global.get $cancel_after_the_response) (global.get $cancel_after_the_response_len) (i32.const 1) (call $grpc_cancel (local.get $token))))
  (func (export "proxy_on_grpc_close") (param i32 i32 i32)
    (call $check_eq (global.get $a_close_after_a_successful) (global.get $a_close_after_a_successful_len) (i32.const 0) (i32.const 1)))
)
