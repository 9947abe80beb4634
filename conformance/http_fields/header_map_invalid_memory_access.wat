(module
;; @include base
  (import "env" "proxy_get_header_map_size" (func $size (param i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_set_header_map_pairs" (func $set_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_remove_header_map_value" (func $remove (param i32 i32 i32) (result i32)))
  ;; memory is 4 pages (262144 bytes): 262140 + 8 runs past its end
  ;; @str $path ":path"
  ;; @str $x_a "x-a"
  ;; @str $s_1 "1"
  ;; @str $get_header_map_value_key "get_header_map_value: key range wrapping around"
  ;; @str $get_header_map_value_key_range "get_header_map_value: key range past the end of memory"
  ;; @str $get_header_map_value_value "get_header_map_value: value out-pointer out of memory"
  ;; @str $get_header_map_value_size "get_header_map_value: size out-pointer straddling the end"
  ;; @str $add_header_map_value_key_out "add_header_map_value: key out of memory"
  ;; @str $add_header_map_value_value "add_header_map_value: value out of memory"
  ;; @str $replace_header_map_value_key "replace_header_map_value: key out of memory"
  ;; @str $replace_header_map_value "replace_header_map_value: value out of memory"
  ;; @str $remove_header_map_value_key "remove_header_map_value: key out of memory"
  ;; @str $set_header_map_pairs_data "set_header_map_pairs: data past the end of memory"
  ;; @str $get_header_map_pairs_data "get_header_map_pairs: data out-pointer out of memory"
  ;; @str $get_header_map_pairs_size "get_header_map_pairs: size out-pointer straddling the end"
  ;; @str $get_header_map_size_out "get_header_map_size: out-pointer straddling the end"
  ;; @str $request_header_entries "request header entries afterwards"
  ;; @str $get_header_map_value_x_a "get_header_map_value(x-a) afterwards"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $get_header_map_value_key) (global.get $get_header_map_value_key_len) (i32.const 6)
      (call $get (i32.const 0) (i32.const 0xfffffff0) (i32.const 32) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $get_header_map_value_key_range) (global.get $get_header_map_value_key_range_len) (i32.const 6)
      (call $get (i32.const 0) (i32.const 262140) (i32.const 8) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $get_header_map_value_value) (global.get $get_header_map_value_value_len) (i32.const 6)
      (call $get (i32.const 0) (global.get $path) (global.get $path_len) (i32.const 0xfffffffc) (i32.const 2052)))
    (call $check_eq (global.get $get_header_map_value_size) (global.get $get_header_map_value_size_len) (i32.const 6)
      (call $get (i32.const 0) (global.get $path) (global.get $path_len) (i32.const 2048) (i32.const 262142)))
    (call $check_eq (global.get $add_header_map_value_key_out) (global.get $add_header_map_value_key_out_len) (i32.const 6)
      (call $add (i32.const 0) (i32.const 0xfffffff0) (i32.const 32) (global.get $s_1) (global.get $s_1_len)))
    (call $check_eq (global.get $add_header_map_value_value) (global.get $add_header_map_value_value_len) (i32.const 6)
      (call $add (i32.const 0) (global.get $x_a) (global.get $x_a_len) (i32.const 262140) (i32.const 8)))
    (call $check_eq (global.get $replace_header_map_value_key) (global.get $replace_header_map_value_key_len) (i32.const 6)
      (call $replace (i32.const 0) (i32.const 0xfffffff0) (i32.const 32) (global.get $s_1) (global.get $s_1_len)))
    (call $check_eq (global.get $replace_header_map_value) (global.get $replace_header_map_value_len) (i32.const 6)
      (call $replace (i32.const 0) (global.get $x_a) (global.get $x_a_len) (i32.const 262140) (i32.const 8)))
    (call $check_eq (global.get $remove_header_map_value_key) (global.get $remove_header_map_value_key_len) (i32.const 6)
      (call $remove (i32.const 0) (i32.const 262140) (i32.const 8)))
    (call $check_eq (global.get $set_header_map_pairs_data) (global.get $set_header_map_pairs_data_len) (i32.const 6)
      (call $set_pairs (i32.const 0) (i32.const 262100) (i32.const 100)))
    (call $check_eq (global.get $get_header_map_pairs_data) (global.get $get_header_map_pairs_data_len) (i32.const 6)
      (call $pairs (i32.const 0) (i32.const 0xfffffffc) (i32.const 2052)))
    (call $check_eq (global.get $get_header_map_pairs_size) (global.get $get_header_map_pairs_size_len) (i32.const 6)
      (call $pairs (i32.const 0) (i32.const 2048) (i32.const 262142)))
    (call $check_eq (global.get $get_header_map_size_out) (global.get $get_header_map_size_out_len) (i32.const 6)
      (call $size (i32.const 0) (i32.const 262142)))
    ;; nothing changed
    (drop (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $request_header_entries) (global.get $request_header_entries_len) (i32.const 3) (i32.load (i32.load (i32.const 2048))))
    (call $check_eq (global.get $get_header_map_value_x_a) (global.get $get_header_map_value_x_a_len) (i32.const 1)
      (call $get (i32.const 0) (global.get $x_a) (global.get $x_a_len) (i32.const 2048) (i32.const 2052)))
    (i32.const 0)))
