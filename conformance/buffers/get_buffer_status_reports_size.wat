(module
;; @include base
  (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
  ;; @str $get_buffer_status_status "get_buffer_status status"
  ;; @str $buffer_size_vs_body_size "buffer size vs body_size"
  ;; @str $buffer_size_5_on_the_first "buffer size (5 on the first chunk, 8 buffered after the second)"
  ;; @str $flags_word "flags word"
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (i32.store (i32.const 2048) (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (call $check_eq (global.get $get_buffer_status_status) (global.get $get_buffer_status_status_len) (i32.const 0)
      (call $status (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $buffer_size_vs_body_size) (global.get $buffer_size_vs_body_size_len) (local.get $size) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $buffer_size_5_on_the_first) (global.get $buffer_size_5_on_the_first_len)
      (select (i32.const 8) (i32.const 5) (local.get $eos)) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $flags_word) (global.get $flags_word_len) (i32.const 0) (i32.load (i32.const 2052)))
    ;; pause the first chunk so the second call sees both
    (i32.eqz (local.get $eos))))
