(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  ;; @str $hello "hello"
  ;; @str $callback_root_id "callback root id"
  ;; @str $function_id "function id"
  ;; @str $arguments_size "arguments size"
  ;; @str $arguments_buffer_read "arguments buffer read"
  ;; @str $arguments_bytes "arguments bytes"
  ;; @str $arguments_outside_the "arguments outside the callback"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $arguments_outside_the) (global.get $arguments_outside_the_len) (i32.const 1)
      (call $get (i32.const 8) (i32.const 0) (i32.const 100) (i32.const 2048) (i32.const 2052)))
    (i32.const 1))
  (func (export "proxy_on_foreign_function") (param $root i32) (param $id i32) (param $size i32)
    (call $check_eq (global.get $callback_root_id) (global.get $callback_root_id_len) (global.get $root) (local.get $root))
    (call $check_eq (global.get $function_id) (global.get $function_id_len) (i32.const 7) (local.get $id))
    (call $check_eq (global.get $arguments_size) (global.get $arguments_size_len) (i32.const 5) (local.get $size))
    (call $check_eq (global.get $arguments_buffer_read) (global.get $arguments_buffer_read_len) (i32.const 0)
      (call $get (i32.const 8) (i32.const 0) (local.get $size) (i32.const 2048) (i32.const 2052)))
    (call $check_bytes (global.get $arguments_bytes) (global.get $arguments_bytes_len) (i32.load (i32.const 2048)) (global.get $hello) (global.get $hello_len))))
