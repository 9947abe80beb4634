(module
;; @include base
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (global $returned (mut i32) (i32.const 0))
  ;; @str $pwconf_still_running_after "pwconf still running after proc_exit"
  ;; @str $proc_exit_returned_in_an "proc_exit returned in an earlier callback"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $proc_exit (i32.const 3))
    (global.set $returned (i32.const 1))
    (drop (call $pwconf_log (i32.const 2) (global.get $pwconf_still_running_after) (global.get $pwconf_still_running_after_len)))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $proc_exit_returned_in_an) (global.get $proc_exit_returned_in_an_len) (i32.const 1) (global.get $returned))
    (i32.const 0)))
