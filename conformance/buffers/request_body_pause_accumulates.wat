(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (data (i32.const 16) "abcdef")
  (data (i32.const 32) "buffered body length vs body_size")
  (data (i32.const 80) "buffered body bytes (a prefix of abcdef)")
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (drop (call $get (i32.const 0) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (i32.const 32) (i32.const 33) (local.get $size) (i32.load (i32.const 2052)))
    (call $check_bytes (i32.const 80) (i32.const 40) (i32.load (i32.const 2048)) (i32.const 16)
      (select (i32.load (i32.const 2052)) (i32.const 6) (i32.le_u (i32.load (i32.const 2052)) (i32.const 6))))
    ;; keep buffering until the last chunk
    (i32.eqz (local.get $eos))))
