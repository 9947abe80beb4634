(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  ;; @str $request_headers_user_agent "request\00headers\00user-agent"
  ;; @str $request_headers_x_missing "request\00headers\00x-missing"
  ;; @str $response_headers_x_served_by "response\00headers\00x-served-by"
  ;; @str $pwconf_agent_2_0 "pwconf-agent/2.0"
  ;; @str $origin_7 "origin-7"
  ;; @str $request_headers_user_agent_2 "request.headers.user-agent"
  ;; @str $request_headers_x_missing_status "request.headers.x-missing status"
  ;; @str $response_headers_x_served_by_2 "response.headers.x-served-by"
  (func $expect (param $path i32) (param $path_len i32) (param $value i32) (param $value_len i32)
                (param $what i32) (param $what_len i32)
    (local $status i32)
    (local.set $status
      (call $get_property (local.get $path) (local.get $path_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (i32.const 0) (local.get $status))
    (if (local.get $status) (then (return)))
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $value_len) (i32.load (i32.const 2052)))
    (call $check_bytes (local.get $what) (local.get $what_len)
      (i32.load (i32.const 2048)) (local.get $value) (local.get $value_len)))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $expect (global.get $request_headers_user_agent) (global.get $request_headers_user_agent_len) (global.get $pwconf_agent_2_0) (global.get $pwconf_agent_2_0_len) (global.get $request_headers_user_agent_2) (global.get $request_headers_user_agent_2_len))
    (call $check_eq (global.get $request_headers_x_missing_status) (global.get $request_headers_x_missing_status_len) (i32.const 1)
      (call $get_property (global.get $request_headers_x_missing) (global.get $request_headers_x_missing_len) (i32.const 2048) (i32.const 2052)))
    (i32.const 0))
  (func (export "proxy_on_response_body") (param i32 i32 i32) (result i32)
    (call $expect (global.get $response_headers_x_served_by) (global.get $response_headers_x_served_by_len) (global.get $origin_7) (global.get $origin_7_len) (global.get $response_headers_x_served_by_2) (global.get $response_headers_x_served_by_2_len))
    (i32.const 0)))
