(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_set_header_map_pairs" (func $set_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_multi "x-multi"
  ;; @str $x_old "x-old"
  ;; @str $a "a"
  ;; @str $status_of_set_header_map "status of set_header_map_pairs"
  ;; @str $status_of_get_header_map "status of get_header_map_pairs"
  ;; @str $map_after_set_header_map "map after set_header_map_pairs (lowercased, in order)"
  ;; @str $status_of_get_header_map_value "status of get_header_map_value(x-multi)"
  ;; @str $first_value_of_x_multi "first value of x-multi"
  ;; @str $status_of_get_header_map_value_x "status of get_header_map_value(x-old) after the set"
  ;; @str $pairs_method_get_path_new "\06\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\04\00\00\00\0a\00\00\00\01\00\00\00\05\00\00\00\03\00\00\00\07\00\00\00\01\00\00\00\07\00\00\00\01\00\00\00:method\00GET\00:path\00/new\00:authority\00h\00X-Set\00Yes\00x-multi\00a\00x-multi\00b\00"
  ;; @str $pairs_method_get_path_new_authority "\06\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\04\00\00\00\0a\00\00\00\01\00\00\00\05\00\00\00\03\00\00\00\07\00\00\00\01\00\00\00\07\00\00\00\01\00\00\00:method\00GET\00:path\00/new\00:authority\00h\00x-set\00Yes\00x-multi\00a\00x-multi\00b\00"
  ;; checks the bytes the host returned at (2048, 2052) against want
  (func $check_out (param $what i32) (param $what_len i32) (param $want i32) (param $want_len i32)
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $what) (local.get $what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $status_of_set_header_map) (global.get $status_of_set_header_map_len) (i32.const 0)
      (call $set_pairs (i32.const 0) (global.get $pairs_method_get_path_new) (global.get $pairs_method_get_path_new_len)))
    (call $check_eq (global.get $status_of_get_header_map) (global.get $status_of_get_header_map_len) (i32.const 0)
      (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $map_after_set_header_map) (global.get $map_after_set_header_map_len) (global.get $pairs_method_get_path_new_authority) (global.get $pairs_method_get_path_new_authority_len))
    (call $check_eq (global.get $status_of_get_header_map_value) (global.get $status_of_get_header_map_value_len) (i32.const 0)
      (call $get (i32.const 0) (global.get $x_multi) (global.get $x_multi_len) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $first_value_of_x_multi) (global.get $first_value_of_x_multi_len) (global.get $a) (global.get $a_len))
    (call $check_eq (global.get $status_of_get_header_map_value_x) (global.get $status_of_get_header_map_value_x_len) (i32.const 1)
      (call $get (i32.const 0) (global.get $x_old) (global.get $x_old_len) (i32.const 2048) (i32.const 2052)))
    (i32.const 0)))
