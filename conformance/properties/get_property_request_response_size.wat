(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  ;; @str $request_size "request\00size"
  ;; @str $response_size "response\00size"
  ;; @str $request_size_in_on_log "request.size in on_log"
  ;; @str $response_size_in_on_log "response.size in on_log"
  ;; @str $request_size_in_a_response "request.size in a response callback"
  (func $expect_int (param $path i32) (param $path_len i32) (param $value i64)
                    (param $what i32) (param $what_len i32)
    (local $ptr i32) (local $status i32)
    (local.set $status
      (call $get_property (local.get $path) (local.get $path_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (i32.const 0) (local.get $status))
    (if (local.get $status) (then (return)))
    (call $check_eq (local.get $what) (local.get $what_len) (i32.const 8) (i32.load (i32.const 2052)))
    (local.set $ptr (i32.load (i32.const 2048)))
    (call $check_eq (local.get $what) (local.get $what_len)
      (i32.wrap_i64 (local.get $value)) (i32.load (local.get $ptr)))
    (call $check_eq (local.get $what) (local.get $what_len)
      (i32.wrap_i64 (i64.shr_u (local.get $value) (i64.const 32))) (i32.load offset=4 (local.get $ptr))))
  (func (export "proxy_on_response_body") (param i32 i32 i32) (result i32)
    (call $expect_int (global.get $request_size) (global.get $request_size_len) (i64.const 11) (global.get $request_size_in_a_response) (global.get $request_size_in_a_response_len))
    (i32.const 0))
  (func (export "proxy_on_log") (param i32)
    (call $expect_int (global.get $request_size) (global.get $request_size_len) (i64.const 11) (global.get $request_size_in_on_log) (global.get $request_size_in_on_log_len))
    (call $expect_int (global.get $response_size) (global.get $response_size_len) (i64.const 7) (global.get $response_size_in_on_log) (global.get $response_size_in_on_log_len))))
