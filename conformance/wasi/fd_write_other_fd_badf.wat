(module
;; @include base
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  ;; @str $pwconf_not_a_log_line "pwconf-not-a-log-line"
  ;; @str $fd_write_to_fd_0 "fd_write to fd 0"
  ;; @str $fd_write_to_fd_3 "fd_write to fd 3"
  ;; @str $fd_write_to_fd_1_with_a_bad "fd_write to fd 1 with a bad iovec array"
  ;; @str $fd_write_to_fd_1_with_a_bad_buffer "fd_write to fd 1 with a bad buffer"
  ;; @str $fd_write_to_fd_1_with_a_bad_count "fd_write to fd 1 with a bad count pointer"
  ;; @str $count_pointer "count pointer"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (i32.store (i32.const 2048) (global.get $pwconf_not_a_log_line))
    (i32.store (i32.const 2052) (global.get $pwconf_not_a_log_line_len))
    (call $check_eq (global.get $fd_write_to_fd_0) (global.get $fd_write_to_fd_0_len) (i32.const 8)
      (call $fd_write (i32.const 0) (i32.const 2048) (i32.const 1) (i32.const 2200)))
    (call $check_eq (global.get $fd_write_to_fd_3) (global.get $fd_write_to_fd_3_len) (i32.const 8)
      (call $fd_write (i32.const 3) (i32.const 2048) (i32.const 1) (i32.const 2200)))
    ;; FAULT (21) for memory the host cannot read or write
    (call $check_eq (global.get $fd_write_to_fd_1_with_a_bad) (global.get $fd_write_to_fd_1_with_a_bad_len) (i32.const 21)
      (call $fd_write (i32.const 1) (i32.const 262140) (i32.const 1) (i32.const 2200)))
    (i32.store (i32.const 2056) (i32.const 262100))
    (i32.store (i32.const 2060) (i32.const 100))
    (call $check_eq (global.get $fd_write_to_fd_1_with_a_bad_buffer) (global.get $fd_write_to_fd_1_with_a_bad_buffer_len) (i32.const 21)
      (call $fd_write (i32.const 1) (i32.const 2056) (i32.const 1) (i32.const 2200)))
    (i32.store (i32.const 2064) (global.get $count_pointer))
    (i32.store (i32.const 2068) (global.get $count_pointer_len))
    (call $check_eq (global.get $fd_write_to_fd_1_with_a_bad_count) (global.get $fd_write_to_fd_1_with_a_bad_count_len) (i32.const 21)
      (call $fd_write (i32.const 1) (i32.const 2064) (i32.const 1) (i32.const 262142)))
    (i32.const 1)))
