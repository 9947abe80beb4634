(module
;; @include base
  (import "env" "proxy_http_call" (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $buffer (param i32 i32 i32 i32 i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  (global $token (mut i32) (i32.const 0))
  ;; serialized headers: :method GET, :path /check, :authority auth
  ;; @str $pairs_method_get_path_check "\03\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\06\00\00\00\0a\00\00\00\04\00\00\00:method\00GET\00:path\00/check\00:authority\00auth\00"
  ;; @str $auth "auth"
  ;; @str $x_auth "x-auth"
  ;; @str $ok "ok"
  ;; @str $http_call_status "http_call status"
  ;; @str $token_is_not_0 "token is not 0"
  ;; @str $response_root_id "response root id"
  ;; @str $response_token "response token"
  ;; @str $header_count "header count"
  ;; @str $body_size "body size"
  ;; @str $trailer_count "trailer count"
  ;; @str $x_auth_of_the_response "x-auth of the response"
  ;; @str $response_body "response body"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $http_call_status) (global.get $http_call_status_len) (i32.const 0)
      (call $http_call (global.get $auth) (global.get $auth_len) (global.get $pairs_method_get_path_check) (global.get $pairs_method_get_path_check_len)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 2048)))
    (global.set $token (i32.load (i32.const 2048)))
    (call $check_eq (global.get $token_is_not_0) (global.get $token_is_not_0_len) (i32.const 1) (i32.ne (global.get $token) (i32.const 0)))
    (i32.const 1))
  (func (export "proxy_on_http_call_response") (param $root i32) (param $token i32) (param $headers i32) (param $body i32) (param $trailers i32)
    (call $check_eq (global.get $response_root_id) (global.get $response_root_id_len) (global.get $root) (local.get $root))
    (call $check_eq (global.get $response_token) (global.get $response_token_len) (global.get $token) (local.get $token))
    (call $check_eq (global.get $header_count) (global.get $header_count_len) (i32.const 2) (local.get $headers))
    (call $check_eq (global.get $body_size) (global.get $body_size_len) (i32.const 2) (local.get $body))
    (call $check_eq (global.get $trailer_count) (global.get $trailer_count_len) (i32.const 0) (local.get $trailers))
    (drop (call $header (i32.const 6) (global.get $x_auth) (global.get $x_auth_len) (i32.const 2056) (i32.const 2060)))
    (call $check_bytes (global.get $x_auth_of_the_response) (global.get $x_auth_of_the_response_len) (i32.load (i32.const 2056)) (global.get $ok) (global.get $ok_len))
    (drop (call $buffer (i32.const 4) (i32.const 0) (local.get $body) (i32.const 2056) (i32.const 2060)))
    (call $check_bytes (global.get $response_body) (global.get $response_body_len) (i32.load (i32.const 2056)) (global.get $ok) (global.get $ok_len))))
