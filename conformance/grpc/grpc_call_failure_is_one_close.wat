(module
;; @include base
  (import "env" "proxy_grpc_call" (func $grpc_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
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
  ;; @str $a_response_from_a_failed "a response from a failed call"
  ;; @str $close_root_id "close root id"
  ;; @str $close_token "close token"
  ;; @str $close_status_unavailable "close status UNAVAILABLE"
  ;; @str $get_status_status "get_status status"
  ;; @str $get_status_code "get_status code"
  ;; @str $get_status_message "get_status message"
  ;; @str $no_healthy_upstream "no healthy upstream"

  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $grpc_call_status) (global.get $grpc_call_status_len) (i32.const 0)
      (call $grpc_call (global.get $grpc_backend) (global.get $grpc_backend_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (global.get $ping) (global.get $ping_len) (i32.const 1000) (i32.const 2048)))
    (global.set $token (i32.load (i32.const 2048)))
    (i32.const 1))
  (func (export "proxy_on_grpc_receive") (param i32 i32 i32)
    (call $check_eq (global.get $a_response_from_a_failed) (global.get $a_response_from_a_failed_len) (i32.const 0) (i32.const 1)))
  (func (export "proxy_on_grpc_close") (param $root i32) (param $token i32) (param $code i32)
    (call $check_eq (global.get $close_root_id) (global.get $close_root_id_len) (global.get $root) (local.get $root))
    (call $check_eq (global.get $close_token) (global.get $close_token_len) (global.get $token) (local.get $token))
    (call $check_eq (global.get $close_status_unavailable) (global.get $close_status_unavailable_len) (i32.const 14) (local.get $code))
    (call $check_eq (global.get $get_status_status) (global.get $get_status_status_len) (i32.const 0)
      (call $status (i32.const 2064) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $get_status_code) (global.get $get_status_code_len) (i32.const 14) (i32.load (i32.const 2064)))
    (call $check_bytes (global.get $get_status_message) (global.get $get_status_message_len) (i32.load (i32.const 2056)) (global.get $no_healthy_upstream) (global.get $no_healthy_upstream_len)))
)
