(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_buffer_bytes" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
  ;; @str $ping "ping"
  ;; @str $pong "pong"
  ;; @str $ping_2 "PING!"
  ;; @str $lt "<"
  ;; @str $gt ">"
  ;; @str $pong_2 "<pong>"
  ;; @str $downstream_data_in_on "DOWNSTREAM_DATA in on_downstream_data"
  ;; @str $replace_downstream_data "replace DOWNSTREAM_DATA"
  ;; @str $downstream_data_after_the "DOWNSTREAM_DATA after the replace"
  ;; @str $upstream_data_size_in_on "UPSTREAM_DATA size in on_downstream_data"
  ;; @str $upstream_data_in_on_upstream "UPSTREAM_DATA in on_upstream_data"
  ;; @str $prepend_to_upstream_data "prepend to UPSTREAM_DATA"
  ;; @str $append_to_upstream_data "append to UPSTREAM_DATA"
  ;; @str $upstream_data_after_prepend "UPSTREAM_DATA after prepend and append"
  ;; @str $downstream_data_size_in_on "DOWNSTREAM_DATA size in on_upstream_data"
  (func $expect (param $buffer i32) (param $want i32) (param $want_len i32) (param $what i32) (param $what_len i32)
    (i32.store (i32.const 2052) (i32.const -1))
    (drop (call $get (local.get $buffer) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $what) (local.get $what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  (func $size (param $buffer i32) (result i32)
    (i32.store (i32.const 2056) (i32.const -1))
    (drop (call $status (local.get $buffer) (i32.const 2056) (i32.const 2060)))
    (i32.load (i32.const 2056)))
  (func (export "proxy_on_downstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $expect (i32.const 2) (global.get $ping) (global.get $ping_len) (global.get $downstream_data_in_on) (global.get $downstream_data_in_on_len))
    (call $check_eq (global.get $upstream_data_size_in_on) (global.get $upstream_data_size_in_on_len) (i32.const 0) (call $size (i32.const 3)))
    (call $check_eq (global.get $replace_downstream_data) (global.get $replace_downstream_data_len) (i32.const 0)
      (call $set (i32.const 2) (i32.const 0) (i32.const 4) (global.get $ping_2) (global.get $ping_2_len)))
    (call $expect (i32.const 2) (global.get $ping_2) (global.get $ping_2_len) (global.get $downstream_data_after_the) (global.get $downstream_data_after_the_len))
    (i32.const 0))
  (func (export "proxy_on_upstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $expect (i32.const 3) (global.get $pong) (global.get $pong_len) (global.get $upstream_data_in_on_upstream) (global.get $upstream_data_in_on_upstream_len))
    (call $check_eq (global.get $downstream_data_size_in_on) (global.get $downstream_data_size_in_on_len) (i32.const 0) (call $size (i32.const 2)))
    (call $check_eq (global.get $prepend_to_upstream_data) (global.get $prepend_to_upstream_data_len) (i32.const 0)
      (call $set (i32.const 3) (i32.const 0) (i32.const 0) (global.get $lt) (global.get $lt_len)))
    (call $check_eq (global.get $append_to_upstream_data) (global.get $append_to_upstream_data_len) (i32.const 0)
      (call $set (i32.const 3) (i32.const 0xffffffff) (i32.const 0) (global.get $gt) (global.get $gt_len)))
    (call $expect (i32.const 3) (global.get $pong_2) (global.get $pong_2_len) (global.get $upstream_data_after_prepend) (global.get $upstream_data_after_prepend_len))
    (i32.const 0)))
