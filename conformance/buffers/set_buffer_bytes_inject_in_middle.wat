(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_buffer_bytes" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $xy "XY"
  ;; @str $z "Z"
  ;; @str $azbxyez "aZbXYeZ"
  ;; @str $replace_2_bytes_at_2 "replace 2 bytes at 2"
  ;; @str $replace_the_last_byte_start "replace the last byte (start 5, size 1)"
  ;; @str $insert_at_1_start_1_size_0 "insert at 1 (start 1, size 0)"
  ;; @str $body_after_the_three_writes "body after the three writes"
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    ;; abcdef -> abXYef -> abXYeZ -> aZbXYeZ
    (call $check_eq (global.get $replace_2_bytes_at_2) (global.get $replace_2_bytes_at_2_len) (i32.const 0)
      (call $set (i32.const 0) (i32.const 2) (i32.const 2) (global.get $xy) (global.get $xy_len)))
    (call $check_eq (global.get $replace_the_last_byte_start) (global.get $replace_the_last_byte_start_len) (i32.const 0)
      (call $set (i32.const 0) (i32.const 5) (i32.const 1) (global.get $z) (global.get $z_len)))
    (call $check_eq (global.get $insert_at_1_start_1_size_0) (global.get $insert_at_1_start_1_size_0_len) (i32.const 0)
      (call $set (i32.const 0) (i32.const 1) (i32.const 0) (global.get $z) (global.get $z_len)))
    (drop (call $get (i32.const 0) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $body_after_the_three_writes) (global.get $body_after_the_three_writes_len) (i32.const 7) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $body_after_the_three_writes) (global.get $body_after_the_three_writes_len) (i32.load (i32.const 2048)) (global.get $azbxyez) (global.get $azbxyez_len))
    (i32.const 0)))
