(module
;; @include base
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_res_get" (func $clock_res_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (global $init (mut i32) (i32.const 0))
  ;; @str $startup_proxy_log "startup proxy_log"
  ;; @str $startup_fd_write "startup fd_write\n"
  ;; @str $proxy_log_status_during "proxy_log status during _initialize"
  ;; @str $fd_write_errno_during "fd_write errno during _initialize"
  ;; @str $clock_time_get_errno_during "clock_time_get errno during _initialize"
  ;; @str $clock_res_get_errno_during "clock_res_get errno during _initialize"
  ;; @str $random_get_errno_during "random_get errno during _initialize"
  ;; @str $environ_sizes_get_errno "environ_sizes_get errno during _initialize"
  ;; @str $environ_get_errno_during "environ_get errno during _initialize"
  ;; @str $args_sizes_get_errno_during "args_sizes_get errno during _initialize"
  ;; @str $args_get_errno_during "args_get errno during _initialize"
  ;; @str $fd_fdstat_get_errno_during "fd_fdstat_get errno during _initialize"
  ;; @str $initialize_ran_before_the "_initialize ran before the root context"
  (func (export "_initialize")
    (call $check_eq (global.get $proxy_log_status_during) (global.get $proxy_log_status_during_len) (i32.const 0)
      (call $pwconf_log (i32.const 2) (global.get $startup_proxy_log) (global.get $startup_proxy_log_len)))
    (i32.store (i32.const 2048) (global.get $startup_fd_write))
    (i32.store (i32.const 2052) (global.get $startup_fd_write_len))
    (call $check_eq (global.get $fd_write_errno_during) (global.get $fd_write_errno_during_len) (i32.const 0)
      (call $fd_write (i32.const 1) (i32.const 2048) (i32.const 1) (i32.const 2056)))
    (call $check_eq (global.get $clock_time_get_errno_during) (global.get $clock_time_get_errno_during_len) (i32.const 0)
      (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 2064)))
    (call $check_eq (global.get $clock_res_get_errno_during) (global.get $clock_res_get_errno_during_len) (i32.const 0)
      (call $clock_res_get (i32.const 1) (i32.const 2064)))
    (call $check_eq (global.get $random_get_errno_during) (global.get $random_get_errno_during_len) (i32.const 0)
      (call $random_get (i32.const 2080) (i32.const 16)))
    (call $check_eq (global.get $environ_sizes_get_errno) (global.get $environ_sizes_get_errno_len) (i32.const 0)
      (call $environ_sizes_get (i32.const 2100) (i32.const 2104)))
    (call $check_eq (global.get $environ_get_errno_during) (global.get $environ_get_errno_during_len) (i32.const 0)
      (call $environ_get (i32.const 2112) (i32.const 2176)))
    (call $check_eq (global.get $args_sizes_get_errno_during) (global.get $args_sizes_get_errno_during_len) (i32.const 0)
      (call $args_sizes_get (i32.const 2100) (i32.const 2104)))
    (call $check_eq (global.get $args_get_errno_during) (global.get $args_get_errno_during_len) (i32.const 0)
      (call $args_get (i32.const 2112) (i32.const 2176)))
    (call $check_eq (global.get $fd_fdstat_get_errno_during) (global.get $fd_fdstat_get_errno_during_len) (i32.const 0)
      (call $fd_fdstat_get (i32.const 1) (i32.const 2304)))
    (global.set $init (i32.const 1)))
  (func (export "proxy_on_context_create") (param i32 i32)
    (call $check_eq (global.get $initialize_ran_before_the) (global.get $initialize_ran_before_the_len) (i32.const 1) (global.get $init))))
