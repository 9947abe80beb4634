(module
;; @include base
  (import "env" "proxy_get_header_map_value" (func $header (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_crash "x-crash"
  ;; @str $vm_started "vm started"
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (drop (call $pwconf_log (i32.const 2) (global.get $vm_started) (global.get $vm_started_len)))
    (i32.const 1))
  ;; a request carrying x-crash makes the module trap, as a panicking filter would
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (if (i32.eqz (call $header (i32.const 0) (global.get $x_crash) (global.get $x_crash_len) (i32.const 2048) (i32.const 2052)))
      (then unreachable))
    (i32.const 0)))
