(module
;; @include base
  (import "env" "proxy_http_call" (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_call" (func $grpc_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  ;; @str $http_call_2 "http_call"
  ;; @str $slow "slow"
  ;; @str $pairs_method_get_path_authority "\03\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\01\00\00\00\0a\00\00\00\04\00\00\00:method\00GET\00:path\00/\00:authority\00slow\00"
  ;; @str $grpc_call_2 "grpc_call"
  ;; @str $pwconf_echo "pwconf.Echo"
  ;; @str $say "Say"
  ;; @str $x "x"
  ;; @str $http_answer_goes_to_the_live "http answer goes to the live root"
  ;; @str $grpc_close_goes_to_the_live "grpc close goes to the live root"
  ;; @str $http_answers_2 "http answers"
  ;; @str $grpc_closes "grpc closes"

  (global $root (mut i32) (i32.const 0))
  (global $http_answers (mut i32) (i32.const 0))
  (global $grpc_answers (mut i32) (i32.const 0))
  (func (export "proxy_on_configure") (param $root i32) (param i32) (result i32)
    (global.set $root (local.get $root))
    (call $check_eq (global.get $http_call_2) (global.get $http_call_2_len) (i32.const 0)
      (call $http_call (global.get $slow) (global.get $slow_len) (global.get $pairs_method_get_path_authority) (global.get $pairs_method_get_path_authority_len)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 2048)))
    (call $check_eq (global.get $grpc_call_2) (global.get $grpc_call_2_len) (i32.const 0)
      (call $grpc_call (global.get $slow) (global.get $slow_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (global.get $x) (global.get $x_len) (i32.const 0) (i32.const 2048)))
    (i32.const 1))
  (func (export "proxy_on_http_call_response") (param $root i32) (param i32 i32 i32 i32)
    (call $check_eq (global.get $http_answer_goes_to_the_live) (global.get $http_answer_goes_to_the_live_len) (global.get $root) (local.get $root))
    (global.set $http_answers (i32.add (global.get $http_answers) (i32.const 1))))
  (func (export "proxy_on_grpc_close") (param $root i32) (param i32 i32)
    (call $check_eq (global.get $grpc_close_goes_to_the_live) (global.get $grpc_close_goes_to_the_live_len) (global.get $root) (local.get $root))
    (global.set $grpc_answers (i32.add (global.get $grpc_answers) (i32.const 1))))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    ;; at the end: only the second root's callouts were answered
    (if (i32.eq (local.get $ctx) (global.get $root))
      (then
        (call $check_eq (global.get $http_answers_2) (global.get $http_answers_2_len) (i32.const 1) (global.get $http_answers))
        (call $check_eq (global.get $grpc_closes) (global.get $grpc_closes_len) (i32.const 1) (global.get $grpc_answers))))
    (i32.const 1))
)
