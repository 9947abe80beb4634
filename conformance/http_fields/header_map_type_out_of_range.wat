(module
;; @include base
  (import "env" "proxy_get_header_map_size" (func $size (param i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_set_header_map_pairs" (func $set_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_remove_header_map_value" (func $remove (param i32 i32 i32) (result i32)))
  ;; @str $get_header_map_size_with_a "get_header_map_size with a map type above 7"
  ;; @str $get_header_map_pairs_with_a "get_header_map_pairs with a map type above 7"
  ;; @str $set_header_map_pairs_with_a "set_header_map_pairs with a map type above 7"
  ;; @str $get_header_map_value_with_a "get_header_map_value with a map type above 7"
  ;; @str $add_header_map_value_with_a "add_header_map_value with a map type above 7"
  ;; @str $replace_header_map_value "replace_header_map_value with a map type above 7"
  ;; @str $remove_header_map_value_with "remove_header_map_value with a map type above 7"
  ;; @str $request_header_entries "request header entries afterwards"
  ;; every call gets wild pointers (0xfffffff0, 0xfffffffc): the type must be refused first
  (func $all (param $type i32)
    (call $check_eq (global.get $get_header_map_size_with_a) (global.get $get_header_map_size_with_a_len) (i32.const 2)
      (call $size (local.get $type) (i32.const 0xfffffffc)))
    (call $check_eq (global.get $get_header_map_pairs_with_a) (global.get $get_header_map_pairs_with_a_len) (i32.const 2)
      (call $pairs (local.get $type) (i32.const 0xfffffffc) (i32.const 0xfffffffc)))
    (call $check_eq (global.get $set_header_map_pairs_with_a) (global.get $set_header_map_pairs_with_a_len) (i32.const 2)
      (call $set_pairs (local.get $type) (i32.const 0xfffffff0) (i32.const 64)))
    (call $check_eq (global.get $get_header_map_value_with_a) (global.get $get_header_map_value_with_a_len) (i32.const 2)
      (call $get (local.get $type) (i32.const 0xfffffff0) (i32.const 32) (i32.const 0xfffffffc) (i32.const 0xfffffffc)))
    (call $check_eq (global.get $add_header_map_value_with_a) (global.get $add_header_map_value_with_a_len) (i32.const 2)
      (call $add (local.get $type) (i32.const 0xfffffff0) (i32.const 32) (i32.const 0xfffffff0) (i32.const 32)))
    (call $check_eq (global.get $replace_header_map_value) (global.get $replace_header_map_value_len) (i32.const 2)
      (call $replace (local.get $type) (i32.const 0xfffffff0) (i32.const 32) (i32.const 0xfffffff0) (i32.const 32)))
    (call $check_eq (global.get $remove_header_map_value_with) (global.get $remove_header_map_value_with_len) (i32.const 2)
      (call $remove (local.get $type) (i32.const 0xfffffff0) (i32.const 32))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $all (i32.const 8))
    (call $all (i32.const 0xffffffff))
    (drop (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $request_header_entries) (global.get $request_header_entries_len) (i32.const 3) (i32.load (i32.load (i32.const 2048))))
    (i32.const 0)))
