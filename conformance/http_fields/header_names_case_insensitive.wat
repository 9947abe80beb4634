(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_mixed "X-MiXeD"
  ;; @str $val "Val"
  ;; @str $x_added_upper "X-Added-Upper"
  ;; @str $v2 "V2"
  ;; @str $x_mixed_2 "X-MIXED"
  ;; @str $v3 "v3"
  ;; @str $x_mixed_3 "x-mixed"
  ;; @str $x_added_upper_2 "X-ADDED-UPPER"
  ;; @str $status_of_get_header_map "status of get_header_map_value(X-MiXeD)"
  ;; @str $value_of_x_mixed "value of X-MiXeD"
  ;; @str $status_of_add_header_map "status of add_header_map_value(X-Added-Upper)"
  ;; @str $map_after_the_add_names "map after the add (names lowercased)"
  ;; @str $status_of_replace_header_map "status of replace_header_map_value(X-MIXED)"
  ;; @str $value_of_x_mixed_after_the "value of x-mixed after the replace"
  ;; @str $entries_after_the_replace "entries after the replace"
  ;; @str $value_of_x_added_upper "value of X-ADDED-UPPER"
  ;; @str $pairs_method_get_path_authority_h "\05\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\01\00\00\00\0a\00\00\00\01\00\00\00\07\00\00\00\03\00\00\00\0d\00\00\00\02\00\00\00:method\00GET\00:path\00/\00:authority\00h\00x-mixed\00Val\00x-added-upper\00V2\00"
  (func $check_out (param $what i32) (param $what_len i32) (param $want i32) (param $want_len i32)
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $what) (local.get $what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $status_of_get_header_map) (global.get $status_of_get_header_map_len) (i32.const 0)
      (call $get (i32.const 0) (global.get $x_mixed) (global.get $x_mixed_len) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $value_of_x_mixed) (global.get $value_of_x_mixed_len) (global.get $val) (global.get $val_len))
    (call $check_eq (global.get $status_of_add_header_map) (global.get $status_of_add_header_map_len) (i32.const 0)
      (call $add (i32.const 0) (global.get $x_added_upper) (global.get $x_added_upper_len) (global.get $v2) (global.get $v2_len)))
    (drop (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $map_after_the_add_names) (global.get $map_after_the_add_names_len) (global.get $pairs_method_get_path_authority_h) (global.get $pairs_method_get_path_authority_h_len))
    (call $check_eq (global.get $status_of_replace_header_map) (global.get $status_of_replace_header_map_len) (i32.const 0)
      (call $replace (i32.const 0) (global.get $x_mixed_2) (global.get $x_mixed_2_len) (global.get $v3) (global.get $v3_len)))
    (drop (call $get (i32.const 0) (global.get $x_mixed_3) (global.get $x_mixed_3_len) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $value_of_x_mixed_after_the) (global.get $value_of_x_mixed_after_the_len) (global.get $v3) (global.get $v3_len))
    (drop (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $entries_after_the_replace) (global.get $entries_after_the_replace_len) (i32.const 5) (i32.load (i32.load (i32.const 2048))))
    (drop (call $get (i32.const 0) (global.get $x_added_upper_2) (global.get $x_added_upper_2_len) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $value_of_x_added_upper) (global.get $value_of_x_added_upper_len) (global.get $v2) (global.get $v2_len))
    (i32.const 0)))
