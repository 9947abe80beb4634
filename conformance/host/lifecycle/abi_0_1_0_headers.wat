;; An ABI 0.1.0 plugin: two-argument headers callback, and a missing header answers OK
;; with an empty value (rule H14).
(module
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_configuration" (func $cfg (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "x-missing")
  (func (export "proxy_abi_version_0_1_0"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (drop (call $cfg (i32.const 64) (i32.const 68)))
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32) (result i32)
    (drop (call $get (i32.const 0) (i32.const 32) (i32.const 9) (i32.const 64) (i32.const 68)))
    (i32.const 0)))
