(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (data (i32.const 16) "abcdef")
  (data (i32.const 32) "buffered response body length vs body_size")
  (data (i32.const 80) "buffered response body bytes (a prefix of abcdef)")
  (func (export "proxy_on_response_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (drop (call $get (i32.const 1) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (i32.const 32) (i32.const 42) (local.get $size) (i32.load (i32.const 2052)))
    (call $check_bytes (i32.const 80) (i32.const 49) (i32.load (i32.const 2048)) (i32.const 16)
      (select (i32.load (i32.const 2052)) (i32.const 6) (i32.le_u (i32.load (i32.const 2052)) (i32.const 6))))
    (i32.eqz (local.get $eos))))
