(module
;; @include base
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (global $returned (mut i32) (i32.const 0))
  (data (i32.const 16) "pwconf still running after proc_exit")
  (data (i32.const 64) "proc_exit returned in an earlier callback")
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $proc_exit (i32.const 3))
    (global.set $returned (i32.const 1))
    (drop (call $pwconf_log (i32.const 2) (i32.const 16) (i32.const 36)))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $check_eq (i32.const 64) (i32.const 41) (i32.const 1) (global.get $returned))
    (i32.const 0)))
