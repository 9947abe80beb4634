(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_buffer_bytes" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
  ;; memory is 4 pages (262144 bytes)
  ;; @str $abc "abc"
  ;; @str $get_buffer_bytes_data_out "get_buffer_bytes: data out-pointer out of memory"
  ;; @str $get_buffer_bytes_size_out "get_buffer_bytes: size out-pointer straddling the end"
  ;; @str $set_buffer_bytes_value_range "set_buffer_bytes: value range wrapping around"
  ;; @str $set_buffer_bytes_value_range_past "set_buffer_bytes: value range past the end of memory"
  ;; @str $get_buffer_status_size_out "get_buffer_status: size out-pointer out of memory"
  ;; @str $get_buffer_status_flags_out "get_buffer_status: flags out-pointer straddling the end"
  ;; @str $body_length_afterwards "body length afterwards"
  ;; @str $body_afterwards "body afterwards"
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $get_buffer_bytes_data_out) (global.get $get_buffer_bytes_data_out_len) (i32.const 6)
      (call $get (i32.const 0) (i32.const 0) (i32.const 3) (i32.const 0xfffffffc) (i32.const 2052)))
    (call $check_eq (global.get $get_buffer_bytes_size_out) (global.get $get_buffer_bytes_size_out_len) (i32.const 6)
      (call $get (i32.const 0) (i32.const 0) (i32.const 3) (i32.const 2048) (i32.const 262142)))
    (call $check_eq (global.get $set_buffer_bytes_value_range) (global.get $set_buffer_bytes_value_range_len) (i32.const 6)
      (call $set (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0xfffffff0) (i32.const 32)))
    (call $check_eq (global.get $set_buffer_bytes_value_range_past) (global.get $set_buffer_bytes_value_range_past_len) (i32.const 6)
      (call $set (i32.const 0) (i32.const 0) (i32.const 3) (i32.const 262140) (i32.const 8)))
    (call $check_eq (global.get $get_buffer_status_size_out) (global.get $get_buffer_status_size_out_len) (i32.const 6)
      (call $status (i32.const 0) (i32.const 0xfffffffe) (i32.const 2052)))
    (call $check_eq (global.get $get_buffer_status_flags_out) (global.get $get_buffer_status_flags_out_len) (i32.const 6)
      (call $status (i32.const 0) (i32.const 2048) (i32.const 262142)))
    (drop (call $get (i32.const 0) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $body_length_afterwards) (global.get $body_length_afterwards_len) (i32.const 3) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $body_afterwards) (global.get $body_afterwards_len) (i32.load (i32.const 2048)) (global.get $abc) (global.get $abc_len))
    (i32.const 0)))
