(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $hello "hello"
  ;; @str $world "world"
  ;; @str $lo_world "lo world"
  ;; @str $d "d"
  ;; @str $get_buffer_bytes_status "get_buffer_bytes status"
  ;; @str $bytes_0_5 "bytes 0..5"
  ;; @str $bytes_from_6_max_100_clipped "bytes from 6, max 100 (clipped)"
  ;; @str $bytes_from_3_max_0xffffffff "bytes from 3, max 0xffffffff"
  ;; @str $bytes_from_10_max_1 "bytes from 10, max 1"
  ;; @str $pointer_for_max_size_0 "pointer for max_size 0"
  ;; @str $length_for_max_size_0 "length for max_size 0"
  (func $expect (param $start i32) (param $max i32) (param $want i32) (param $want_len i32) (param $what i32) (param $what_len i32)
    (call $check_eq (global.get $get_buffer_bytes_status) (global.get $get_buffer_bytes_status_len) (i32.const 0)
      (call $get (i32.const 0) (local.get $start) (local.get $max) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $what) (local.get $what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $expect (i32.const 0) (i32.const 5) (global.get $hello) (global.get $hello_len) (global.get $bytes_0_5) (global.get $bytes_0_5_len))
    (call $expect (i32.const 6) (i32.const 100) (global.get $world) (global.get $world_len) (global.get $bytes_from_6_max_100_clipped) (global.get $bytes_from_6_max_100_clipped_len))
    (call $expect (i32.const 3) (i32.const 0xffffffff) (global.get $lo_world) (global.get $lo_world_len) (global.get $bytes_from_3_max_0xffffffff) (global.get $bytes_from_3_max_0xffffffff_len))
    (call $expect (i32.const 10) (i32.const 1) (global.get $d) (global.get $d_len) (global.get $bytes_from_10_max_1) (global.get $bytes_from_10_max_1_len))
    (i32.store (i32.const 2048) (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (call $check_eq (global.get $get_buffer_bytes_status) (global.get $get_buffer_bytes_status_len) (i32.const 0)
      (call $get (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $pointer_for_max_size_0) (global.get $pointer_for_max_size_0_len) (i32.const 0) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $length_for_max_size_0) (global.get $length_for_max_size_0_len) (i32.const 0) (i32.load (i32.const 2052)))
    (i32.const 0)))
