(module
;; @include base
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (data (i32.const 16) "x-absent")
  (data (i32.const 32) "status for a missing key")
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (call $check_eq (i32.const 32) (i32.const 24) (i32.const 1)
      (call $get (i32.const 0) (i32.const 16) (i32.const 8) (i32.const 2048) (i32.const 2052)))
    (i32.const 0)))
