(module
;; @include base
  (import "env" "proxy_get_header_map_value" (func $header (param i32 i32 i32 i32 i32) (result i32)))
  (data (i32.const 16) "x-crash")
  (data (i32.const 32) "vm started")
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (drop (call $pwconf_log (i32.const 2) (i32.const 32) (i32.const 10)))
    (i32.const 1))
  ;; a request carrying x-crash makes the module trap, as a panicking filter would
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (if (i32.eqz (call $header (i32.const 0) (i32.const 16) (i32.const 7) (i32.const 2048) (i32.const 2052)))
      (then unreachable))
    (i32.const 0)))
