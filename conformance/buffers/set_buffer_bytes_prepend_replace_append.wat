(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_buffer_bytes" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
  ;; @str $lt "<"
  ;; @str $gt ">"
  ;; @str $bang "!"
  ;; @str $body "<body"
  ;; @str $body_2 "<body>!"
  ;; @str $new "NEW"
  ;; @str $fresh "fresh"
  ;; @str $prepend_start_0_size_0 "prepend (start 0, size 0)"
  ;; @str $body_after_the_prepend "body after the prepend"
  ;; @str $append_start_0xffffffff "append (start 0xffffffff)"
  ;; @str $append_start_length "append (start = length)"
  ;; @str $body_after_the_appends "body after the appends"
  ;; @str $replace_all_start_0_size "replace all (start 0, size = length)"
  ;; @str $body_after_replacing_all "body after replacing all"
  ;; @str $replace_all_start_0_size_length "replace all (start 0, size > length)"
  ;; @str $body_after_the_second "body after the second replace"
  ;; @str $get_buffer_status_size_at "get_buffer_status size at the end"
  (func $expect_body (param $want i32) (param $want_len i32) (param $what i32) (param $what_len i32)
    (drop (call $get (i32.const 0) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $what) (local.get $what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $prepend_start_0_size_0) (global.get $prepend_start_0_size_0_len) (i32.const 0)
      (call $set (i32.const 0) (i32.const 0) (i32.const 0) (global.get $lt) (global.get $lt_len)))
    (call $expect_body (global.get $body) (global.get $body_len) (global.get $body_after_the_prepend) (global.get $body_after_the_prepend_len))
    (call $check_eq (global.get $append_start_0xffffffff) (global.get $append_start_0xffffffff_len) (i32.const 0)
      (call $set (i32.const 0) (i32.const 0xffffffff) (i32.const 0) (global.get $gt) (global.get $gt_len)))
    (call $check_eq (global.get $append_start_length) (global.get $append_start_length_len) (i32.const 0)
      (call $set (i32.const 0) (i32.const 6) (i32.const 0) (global.get $bang) (global.get $bang_len)))
    (call $expect_body (global.get $body_2) (global.get $body_2_len) (global.get $body_after_the_appends) (global.get $body_after_the_appends_len))
    (call $check_eq (global.get $replace_all_start_0_size) (global.get $replace_all_start_0_size_len) (i32.const 0)
      (call $set (i32.const 0) (i32.const 0) (i32.const 7) (global.get $new) (global.get $new_len)))
    (call $expect_body (global.get $new) (global.get $new_len) (global.get $body_after_replacing_all) (global.get $body_after_replacing_all_len))
    (call $check_eq (global.get $replace_all_start_0_size_length) (global.get $replace_all_start_0_size_length_len) (i32.const 0)
      (call $set (i32.const 0) (i32.const 0) (i32.const 100) (global.get $fresh) (global.get $fresh_len)))
    (call $expect_body (global.get $fresh) (global.get $fresh_len) (global.get $body_after_the_second) (global.get $body_after_the_second_len))
    (drop (call $status (i32.const 0) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $get_buffer_status_size_at) (global.get $get_buffer_status_size_at_len) (i32.const 5) (i32.load (i32.const 2056)))
    (i32.const 0)))
