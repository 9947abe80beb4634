(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $abcdef "abcdef"
  ;; @str $buffered_downstream_data "buffered DOWNSTREAM_DATA length vs data_size"
  ;; @str $buffered_downstream_data_bytes "buffered DOWNSTREAM_DATA bytes (a prefix of abcdef)"
  (func (export "proxy_on_downstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (i32.store (i32.const 2052) (i32.const -1))
    (drop (call $get (i32.const 2) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $buffered_downstream_data) (global.get $buffered_downstream_data_len) (local.get $size) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $buffered_downstream_data_bytes) (global.get $buffered_downstream_data_bytes_len) (i32.load (i32.const 2048)) (global.get $abcdef)
      (select (i32.load (i32.const 2052)) (i32.const 6) (i32.le_u (i32.load (i32.const 2052)) (i32.const 6))))
    ;; hold everything until six bytes have arrived
    (i32.lt_u (local.get $size) (i32.const 6))))
