(module
;; @include base
  (import "env" "proxy_get_configuration" (func $configuration (param i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_set_header_map_pairs" (func $set_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $value (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_remove_header_map_value" (func $remove (param i32 i32 i32) (result i32)))
  (import "env" "proxy_send_local_response" (func $reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  ;; @str $get_configuration_to_a_wild "get_configuration to a wild out-pointer"
  ;; @str $pairs_of_map_type_9 "pairs of map type 9"
  ;; @str $pairs_to_a_wild_out_pointer "pairs to a wild out-pointer"
  ;; @str $set_pairs_2 "set pairs"
  ;; @str $pairs_method_get_path_set "\03\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\04\00\00\00\0a\00\00\00\01\00\00\00:method\00GET\00:path\00/set\00:authority\00h\00"
  ;; @str $set_pairs_from_a_wild_range "set pairs from a wild range"
  ;; @str $value_of_map_type_9 "value of map type 9"
  ;; @str $path ":path"
  ;; @str $value_of_a_wild_key "value of a wild key"
  ;; @str $add_with_a_wild_value "add with a wild value"
  ;; @str $x_a "x-a"
  ;; @str $replace_with_a_wild_key "replace with a wild key"
  ;; @str $v "v"
  ;; @str $remove_a_wild_key "remove a wild key"
  ;; @str $local_reply_with_a_wild_body "local reply with a wild body"

  (func (export "proxy_on_configure") (param $root i32) (param i32) (result i32)
    (call $check_eq (global.get $get_configuration_to_a_wild) (global.get $get_configuration_to_a_wild_len) (i32.const 6) (call $configuration (i32.const 2048) (i32.const 0x7ffffffe)))
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (global.get $pairs_of_map_type_9) (global.get $pairs_of_map_type_9_len) (i32.const 2) (call $pairs (i32.const 9) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $pairs_to_a_wild_out_pointer) (global.get $pairs_to_a_wild_out_pointer_len) (i32.const 6) (call $pairs (i32.const 0) (i32.const 2048) (i32.const 0x7ffffffe)))
    (call $check_eq (global.get $set_pairs_2) (global.get $set_pairs_2_len) (i32.const 0) (call $set_pairs (i32.const 0) (global.get $pairs_method_get_path_set) (global.get $pairs_method_get_path_set_len)))
    (call $check_eq (global.get $set_pairs_from_a_wild_range) (global.get $set_pairs_from_a_wild_range_len) (i32.const 6) (call $set_pairs (i32.const 0) (i32.const 0x7ffffff0) (i32.const 64)))
    (call $check_eq (global.get $value_of_map_type_9) (global.get $value_of_map_type_9_len) (i32.const 2) (call $value (i32.const 9) (global.get $path) (global.get $path_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $value_of_a_wild_key) (global.get $value_of_a_wild_key_len) (i32.const 6) (call $value (i32.const 0) (i32.const 0x7ffffff0) (i32.const 64) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $add_with_a_wild_value) (global.get $add_with_a_wild_value_len) (i32.const 6) (call $add (i32.const 0) (global.get $x_a) (global.get $x_a_len) (i32.const 0x7ffffff0) (i32.const 64)))
    (call $check_eq (global.get $replace_with_a_wild_key) (global.get $replace_with_a_wild_key_len) (i32.const 6) (call $replace (i32.const 0) (i32.const 0x7ffffff0) (i32.const 64) (global.get $v) (global.get $v_len)))
    (call $check_eq (global.get $remove_a_wild_key) (global.get $remove_a_wild_key_len) (i32.const 6) (call $remove (i32.const 0) (i32.const 0x7ffffff0) (i32.const 64)))
    (call $check_eq (global.get $local_reply_with_a_wild_body) (global.get $local_reply_with_a_wild_body_len) (i32.const 6)
      (call $reply (i32.const 403) (i32.const 0) (i32.const 0) (i32.const 0x7ffffff0) (i32.const 64) (i32.const 0) (i32.const 0) (i32.const -1)))
    (i32.const 0))
)
