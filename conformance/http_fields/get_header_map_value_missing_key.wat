(module
;; @include base
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_absent "x-absent"
  ;; @str $status_for_a_missing_key "status for a missing key"
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $status_for_a_missing_key) (global.get $status_for_a_missing_key_len) (i32.const 1)
      (call $get (i32.const 0) (global.get $x_absent) (global.get $x_absent_len) (i32.const 2048) (i32.const 2052)))
    (i32.const 0)))
