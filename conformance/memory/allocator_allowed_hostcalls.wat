(module
  ;; No `;; @include base`: the allocator itself calls the hostcalls allowed inside it.
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 16384))
  (global $statuses (mut i32) (i32.const 0))
  ;; @str $plugin_name "plugin_name"
  ;; @str $allocator_proxy_log "allocator proxy_log"
  ;; @str $allocator_fd_write "allocator fd_write\n"
  ;; @str $pwconf_fail_a_hostcall "pwconf-fail: a hostcall allowed in the allocator did not succeed there"
  ;; @str $pwconf_fail_get_property "pwconf-fail: get_property through a logging allocator is not OK"
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (global.set $statuses (call $log (i32.const 2) (global.get $allocator_proxy_log) (global.get $allocator_proxy_log_len)))
    (i32.store (i32.const 2100) (global.get $allocator_fd_write))
    (i32.store (i32.const 2104) (global.get $allocator_fd_write_len))
    (global.set $statuses (i32.or (global.get $statuses)
      (call $fd_write (i32.const 1) (i32.const 2100) (i32.const 1) (i32.const 2108))))
    (global.set $statuses (i32.or (global.get $statuses)
      (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 2112))))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (i32.add (local.get $size) (i32.const 8))))
    (local.get $p))
  (func $check (param $ok i32) (param $msg i32) (param $len i32)
    (if (i32.eqz (local.get $ok))
      (then (drop (call $log (i32.const 5) (local.get $msg) (local.get $len))))))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (global.set $statuses (i32.const -1))
    (call $check (i32.eqz (call $get_property (global.get $plugin_name) (global.get $plugin_name_len) (i32.const 2048) (i32.const 2052)))
      (global.get $pwconf_fail_get_property) (global.get $pwconf_fail_get_property_len))
    (call $check (i32.eqz (global.get $statuses)) (global.get $pwconf_fail_a_hostcall) (global.get $pwconf_fail_a_hostcall_len))
    (i32.const 0)))
