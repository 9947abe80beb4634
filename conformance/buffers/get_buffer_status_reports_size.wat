(module
;; @include base
  (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
  (data (i32.const 16) "get_buffer_status status")
  (data (i32.const 48) "buffer size vs body_size")
  (data (i32.const 80) "buffer size (5 on the first chunk, 8 buffered after the second)")
  (data (i32.const 160) "flags word")
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (i32.store (i32.const 2048) (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (call $check_eq (i32.const 16) (i32.const 24) (i32.const 0)
      (call $status (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (i32.const 48) (i32.const 24) (local.get $size) (i32.load (i32.const 2048)))
    (call $check_eq (i32.const 80) (i32.const 63)
      (select (i32.const 8) (i32.const 5) (local.get $eos)) (i32.load (i32.const 2048)))
    (call $check_eq (i32.const 160) (i32.const 10) (i32.const 0) (i32.load (i32.const 2052)))
    ;; pause the first chunk so the second call sees both
    (i32.eqz (local.get $eos))))
