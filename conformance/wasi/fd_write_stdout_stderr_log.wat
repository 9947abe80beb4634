(module
;; @include base
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  ;; @str $to_stdout "to stdout\n"
  ;; @str $to_stderr "to stderr\n"
  ;; @str $two_newlines "two newlines\n\n"
  ;; @str $joined "joined "
  ;; @str $iovecs "iovecs"
  ;; @str $fd_write_errno "fd_write errno"
  ;; @str $fd_write_bytes_written "fd_write bytes written"
  ;; writes (ptr, len) pairs from the iovec array at 2048 to fd, checks errno 0 and the count
  (func $write (param $fd i32) (param $count i32) (param $total i32)
    (i32.store (i32.const 2200) (i32.const -1))
    (call $check_eq (global.get $fd_write_errno) (global.get $fd_write_errno_len) (i32.const 0)
      (call $fd_write (local.get $fd) (i32.const 2048) (local.get $count) (i32.const 2200)))
    (call $check_eq (global.get $fd_write_bytes_written) (global.get $fd_write_bytes_written_len) (local.get $total) (i32.load (i32.const 2200))))
  (func $iovec (param $i i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.add (i32.const 2048) (i32.mul (local.get $i) (i32.const 8))) (local.get $ptr))
    (i32.store (i32.add (i32.const 2052) (i32.mul (local.get $i) (i32.const 8))) (local.get $len)))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $iovec (i32.const 0) (global.get $to_stdout) (global.get $to_stdout_len))
    (call $write (i32.const 1) (i32.const 1) (i32.const 10))
    (call $iovec (i32.const 0) (global.get $to_stderr) (global.get $to_stderr_len))
    (call $write (i32.const 2) (i32.const 1) (i32.const 10))
    (call $iovec (i32.const 0) (global.get $two_newlines) (global.get $two_newlines_len))
    (call $write (i32.const 1) (i32.const 1) (i32.const 14))
    (call $iovec (i32.const 0) (global.get $joined) (global.get $joined_len))
    (call $iovec (i32.const 1) (global.get $iovecs) (global.get $iovecs_len))
    (call $write (i32.const 2) (i32.const 2) (i32.const 13))
    (i32.const 1)))
