(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
  (global $calls (mut i32) (i32.const 0))
  ;; @str $ab "ab"
  ;; @str $cde "cde"
  ;; @str $downstream_data_size_vs_data "DOWNSTREAM_DATA size vs data_size"
  ;; @str $downstream_data_bytes_of "DOWNSTREAM_DATA bytes of this chunk"
  ;; @str $end_of_stream_0_first_1_on "end_of_stream (0 first, 1 on the last chunk)"
  (func (export "proxy_on_downstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.store (i32.const 2048) (i32.const -1))
    (drop (call $status (i32.const 2) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $downstream_data_size_vs_data) (global.get $downstream_data_size_vs_data_len) (local.get $size) (i32.load (i32.const 2048)))
    (i32.store (i32.const 2052) (i32.const -1))
    (drop (call $get (i32.const 2) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $downstream_data_bytes_of) (global.get $downstream_data_bytes_of_len)
      (select (global.get $ab_len) (global.get $cde_len) (i32.eq (global.get $calls) (i32.const 1))) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $downstream_data_bytes_of) (global.get $downstream_data_bytes_of_len) (i32.load (i32.const 2048))
      (select (global.get $ab) (global.get $cde) (i32.eq (global.get $calls) (i32.const 1)))
      (select (global.get $ab_len) (global.get $cde_len) (i32.eq (global.get $calls) (i32.const 1))))
    (call $check_eq (global.get $end_of_stream_0_first_1_on) (global.get $end_of_stream_0_first_1_on_len)
      (i32.ne (global.get $calls) (i32.const 1)) (local.get $eos))
    (i32.const 0)))
