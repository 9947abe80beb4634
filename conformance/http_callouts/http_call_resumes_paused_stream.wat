(module
;; @include base
  (import "env" "proxy_http_call" (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_effective_context" (func $effective (param i32) (result i32)))
  (import "env" "proxy_continue_stream" (func $continue (param i32) (result i32)))
  (global $stream (mut i32) (i32.const 0))
  ;; @str $pairs_method_get_path_check "\03\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\06\00\00\00\0a\00\00\00\04\00\00\00:method\00GET\00:path\00/check\00:authority\00auth\00"
  ;; @str $auth "auth"
  ;; @str $http_call_from_a_stream "http_call from a stream"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param i32 i32) (result i32)
    (global.set $stream (local.get $ctx))
    (call $check_eq (global.get $http_call_from_a_stream) (global.get $http_call_from_a_stream_len) (i32.const 0)
      (call $http_call (global.get $auth) (global.get $auth_len) (global.get $pairs_method_get_path_check) (global.get $pairs_method_get_path_check_len)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 2048)))
    (i32.const 1))
  (func (export "proxy_on_http_call_response") (param $root i32) (param i32 i32 i32 i32)
    (drop (call $effective (global.get $stream)))
    (drop (call $continue (i32.const 0)))))
