(module
;; @include base
  (import "env" "proxy_get_header_map_size" (func $size (param i32 i32) (result i32)))
  (import "env" "proxy_set_header_map_pairs" (func $set_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_remove_header_map_value" (func $remove (param i32 i32 i32) (result i32)))
  ;; @str $status ":status"
  ;; @str $x_a "x-a"
  ;; @str $s_1 "1"
  ;; @str $get_header_map_value_on_a "get_header_map_value on a map not available now"
  ;; @str $add_header_map_value_on_a "add_header_map_value on a map not available now"
  ;; @str $replace_header_map_value_on "replace_header_map_value on a map not available now"
  ;; @str $remove_header_map_value_on_a "remove_header_map_value on a map not available now"
  ;; @str $set_header_map_pairs_on_a "set_header_map_pairs on a map not available now"
  ;; @str $get_header_map_size_on_a_map "get_header_map_size on a map not available now"
  ;; @str $pairs_x_a_1 "\01\00\00\00\03\00\00\00\01\00\00\00x-a\001\00"
  (func $unavailable (param $map i32)
    (call $check_eq (global.get $get_header_map_value_on_a) (global.get $get_header_map_value_on_a_len) (i32.const 2)
      (call $get (local.get $map) (global.get $status) (global.get $status_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $add_header_map_value_on_a) (global.get $add_header_map_value_on_a_len) (i32.const 2)
      (call $add (local.get $map) (global.get $x_a) (global.get $x_a_len) (global.get $s_1) (global.get $s_1_len)))
    (call $check_eq (global.get $replace_header_map_value_on) (global.get $replace_header_map_value_on_len) (i32.const 2)
      (call $replace (local.get $map) (global.get $x_a) (global.get $x_a_len) (global.get $s_1) (global.get $s_1_len)))
    (call $check_eq (global.get $remove_header_map_value_on_a) (global.get $remove_header_map_value_on_a_len) (i32.const 2)
      (call $remove (local.get $map) (global.get $x_a) (global.get $x_a_len)))
    (call $check_eq (global.get $set_header_map_pairs_on_a) (global.get $set_header_map_pairs_on_a_len) (i32.const 2)
      (call $set_pairs (local.get $map) (global.get $pairs_x_a_1) (global.get $pairs_x_a_1_len)))
    (call $check_eq (global.get $get_header_map_size_on_a_map) (global.get $get_header_map_size_on_a_map_len) (i32.const 2)
      (call $size (local.get $map) (i32.const 2056))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $unavailable (i32.const 2))   ;; response headers
    (call $unavailable (i32.const 3))   ;; response trailers
    (call $unavailable (i32.const 1))   ;; request trailers (the request has none)
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $unavailable (i32.const 3))   ;; response trailers (the response has none)
    (i32.const 0)))
