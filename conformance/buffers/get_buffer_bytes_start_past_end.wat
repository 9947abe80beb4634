(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $start_length_status "start = length: status"
  ;; @str $start_length_pointer "start = length: pointer"
  ;; @str $start_length_length "start = length: length"
  ;; @str $start_past_the_end_status "start past the end: status"
  ;; @str $start_past_the_end_pointer "start past the end: pointer"
  ;; @str $start_past_the_end_length "start past the end: length"
  ;; @str $start_0xfffffff0_max_0x20 "start 0xfffffff0, max 0x20: status"
  ;; @str $start_0xfffffff0_max_0x20_pointer "start 0xfffffff0, max 0x20: pointer"
  ;; @str $start_0xfffffff0_max_0x20_length "start 0xfffffff0, max 0x20: length"
  ;; @str $start_and_max_0xffffffff "start and max 0xffffffff: status"
  ;; @str $start_and_max_0xffffffff_pointer "start and max 0xffffffff: pointer"
  ;; @str $start_and_max_0xffffffff_length "start and max 0xffffffff: length"
  (func $empty (param $start i32) (param $max i32) (param $s i32) (param $s_len i32) (param $p i32) (param $p_len i32) (param $l i32) (param $l_len i32)
    (i32.store (i32.const 2048) (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (call $check_eq (local.get $s) (local.get $s_len) (i32.const 0)
      (call $get (i32.const 0) (local.get $start) (local.get $max) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $p) (local.get $p_len) (i32.const 0) (i32.load (i32.const 2048)))
    (call $check_eq (local.get $l) (local.get $l_len) (i32.const 0) (i32.load (i32.const 2052))))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $empty (i32.const 3) (i32.const 5) (global.get $start_length_status) (global.get $start_length_status_len) (global.get $start_length_pointer) (global.get $start_length_pointer_len) (global.get $start_length_length) (global.get $start_length_length_len))
    (call $empty (i32.const 4) (i32.const 1) (global.get $start_past_the_end_status) (global.get $start_past_the_end_status_len) (global.get $start_past_the_end_pointer) (global.get $start_past_the_end_pointer_len) (global.get $start_past_the_end_length) (global.get $start_past_the_end_length_len))
    (call $empty (i32.const 0xfffffff0) (i32.const 0x20)
      (global.get $start_0xfffffff0_max_0x20) (global.get $start_0xfffffff0_max_0x20_len) (global.get $start_0xfffffff0_max_0x20_pointer) (global.get $start_0xfffffff0_max_0x20_pointer_len) (global.get $start_0xfffffff0_max_0x20_length) (global.get $start_0xfffffff0_max_0x20_length_len))
    (call $empty (i32.const 0xffffffff) (i32.const 0xffffffff)
      (global.get $start_and_max_0xffffffff) (global.get $start_and_max_0xffffffff_len) (global.get $start_and_max_0xffffffff_pointer) (global.get $start_and_max_0xffffffff_pointer_len) (global.get $start_and_max_0xffffffff_length) (global.get $start_and_max_0xffffffff_length_len))
    (i32.const 0)))
