(module
;; @include base
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  ;; @str $args_sizes_get_errno "args_sizes_get errno"
  ;; @str $argument_count "argument count"
  ;; @str $argument_bytes "argument bytes"
  ;; @str $args_get_errno "args_get errno"
  ;; @str $args_sizes_get_with_a_bad "args_sizes_get with a bad pointer"
  (func $arguments
    (i32.store (i32.const 2048) (i32.const -1))
    (i32.store (i32.const 2052) (i32.const -1))
    (call $check_eq (global.get $args_sizes_get_errno) (global.get $args_sizes_get_errno_len) (i32.const 0)
      (call $args_sizes_get (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $argument_count) (global.get $argument_count_len) (i32.const 0) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $argument_bytes) (global.get $argument_bytes_len) (i32.const 0) (i32.load (i32.const 2052)))
    (call $check_eq (global.get $args_get_errno) (global.get $args_get_errno_len) (i32.const 0)
      (call $args_get (i32.const 2064) (i32.const 2096)))
    (call $check_eq (global.get $args_sizes_get_with_a_bad) (global.get $args_sizes_get_with_a_bad_len) (i32.const 21)
      (call $args_sizes_get (i32.const 262142) (i32.const 2052))))
  (func (export "_start") (call $arguments))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $arguments)
    (i32.const 1)))
