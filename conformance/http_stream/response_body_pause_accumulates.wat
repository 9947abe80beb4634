(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $abcdef "abcdef"
  ;; @str $buffered_response_body "buffered response body length vs body_size"
  ;; @str $buffered_response_body_bytes "buffered response body bytes (a prefix of abcdef)"
  (func (export "proxy_on_response_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (drop (call $get (i32.const 1) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $buffered_response_body) (global.get $buffered_response_body_len) (local.get $size) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $buffered_response_body_bytes) (global.get $buffered_response_body_bytes_len) (i32.load (i32.const 2048)) (global.get $abcdef)
      (select (i32.load (i32.const 2052)) (i32.const 6) (i32.le_u (i32.load (i32.const 2052)) (i32.const 6))))
    (i32.eqz (local.get $eos))))
