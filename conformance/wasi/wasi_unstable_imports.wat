(module
;; @include base
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_unstable" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_unstable" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  ;; @str $old_wasi_module_name "old wasi module name\n"
  ;; @str $wasi_unstable_fd_write_errno "wasi_unstable fd_write errno"
  ;; @str $wasi_unstable_fd_write_count "wasi_unstable fd_write count"
  ;; @str $wasi_unstable_clock_time_get "wasi_unstable clock_time_get errno"
  ;; @str $wasi_unstable_realtime_ms "wasi_unstable realtime ms"
  ;; @str $wasi_unstable_random_get "wasi_unstable random_get errno"
  ;; @str $wasi_unstable_environ_sizes "wasi_unstable environ_sizes_get errno"
  ;; @str $wasi_unstable_fd_write_to_fd "wasi_unstable fd_write to fd 5"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (i32.store (i32.const 2048) (global.get $old_wasi_module_name))
    (i32.store (i32.const 2052) (global.get $old_wasi_module_name_len))
    (call $check_eq (global.get $wasi_unstable_fd_write_errno) (global.get $wasi_unstable_fd_write_errno_len) (i32.const 0)
      (call $fd_write (i32.const 2) (i32.const 2048) (i32.const 1) (i32.const 2056)))
    (call $check_eq (global.get $wasi_unstable_fd_write_count) (global.get $wasi_unstable_fd_write_count_len) (i32.const 21) (i32.load (i32.const 2056)))
    (call $check_eq (global.get $wasi_unstable_fd_write_to_fd) (global.get $wasi_unstable_fd_write_to_fd_len) (i32.const 8)
      (call $fd_write (i32.const 5) (i32.const 2048) (i32.const 1) (i32.const 2056)))
    (call $check_eq (global.get $wasi_unstable_clock_time_get) (global.get $wasi_unstable_clock_time_get_len) (i32.const 0)
      (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 2064)))
    (call $check_eq (global.get $wasi_unstable_realtime_ms) (global.get $wasi_unstable_realtime_ms_len) (i32.const 0)
      (i32.wrap_i64 (i64.div_s (i64.sub (i64.load (i32.const 2064)) (i64.const 1767225600000000000))
        (i64.const 1000000))))
    (call $check_eq (global.get $wasi_unstable_random_get) (global.get $wasi_unstable_random_get_len) (i32.const 0)
      (call $random_get (i32.const 2080) (i32.const 32)))
    (call $check_eq (global.get $wasi_unstable_environ_sizes) (global.get $wasi_unstable_environ_sizes_len) (i32.const 0)
      (call $environ_sizes_get (i32.const 2120) (i32.const 2124)))
    (i32.const 1)))
