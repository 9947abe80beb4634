(module
;; @include base
  (import "env" "proxy_grpc_call" (func $grpc_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_current_time_nanoseconds" (func $now (param i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  (global $token (mut i32) (i32.const 0))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  ;; @str $call_status "call status"
  ;; @str $silent "silent"
  ;; @str $pwconf_echo "pwconf.Echo"
  ;; @str $say "Say"
  ;; @str $x "x"
  ;; @str $close_token "close token"
  ;; @str $close_status_deadline "close status DEADLINE_EXCEEDED"
  ;; @str $milliseconds_from_call_to "milliseconds from call to close"

  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $call_status) (global.get $call_status_len) (i32.const 0)
      (call $grpc_call (global.get $silent) (global.get $silent_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0)
        (global.get $x) (global.get $x_len) (i32.const 250) (i32.const 2048)))
    (global.set $token (i32.load (i32.const 2048)))
    (drop (call $now (i32.const 2056)))
    (i32.const 1))
  (func (export "proxy_on_grpc_close") (param $root i32) (param $token i32) (param $code i32)
    (call $check_eq (global.get $close_token) (global.get $close_token_len) (global.get $token) (local.get $token))
    (call $check_eq (global.get $close_status_deadline) (global.get $close_status_deadline_len) (i32.const 4) (local.get $code))
    (drop (call $now (i32.const 2064)))
    (call $check_eq (global.get $milliseconds_from_call_to) (global.get $milliseconds_from_call_to_len) (i32.const 250)
      (i32.wrap_i64 (i64.div_u (i64.sub (i64.load (i32.const 2064)) (i64.load (i32.const 2056))) (i64.const 1000000)))))
)
