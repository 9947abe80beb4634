(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_buffer_bytes" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $xyz "XYZ"
  ;; @str $xyzcdef "XYZcdef"
  ;; @str $replace_the_first_2_bytes "replace the first 2 bytes with 3 (start 0, size 2)"
  ;; @str $body_after_the_replace "body after the replace"
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $replace_the_first_2_bytes) (global.get $replace_the_first_2_bytes_len) (i32.const 0)
      (call $set (i32.const 0) (i32.const 0) (i32.const 2) (global.get $xyz) (global.get $xyz_len)))
    (drop (call $get (i32.const 0) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $body_after_the_replace) (global.get $body_after_the_replace_len) (i32.const 7) (i32.load (i32.const 2052)))
    (if (i32.eq (i32.load (i32.const 2052)) (i32.const 7))
      (then (call $check_bytes (global.get $body_after_the_replace) (global.get $body_after_the_replace_len) (i32.load (i32.const 2048)) (global.get $xyzcdef) (global.get $xyzcdef_len))))
    (i32.const 0)))
