(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_dup "x-dup"
  ;; @str $x_dup_2 "X-DUP"
  ;; @str $x_empty "x-empty"
  ;; @str $s_0 "0"
  ;; @str $s_1 "1"
  ;; @str $s_2 "2"
  ;; @str $status_of_add_header_map "status of add_header_map_value(x-dup, 1)"
  ;; @str $status_of_add_header_map_value "status of add_header_map_value(X-DUP, 2)"
  ;; @str $status_of_add_header_map_value_x "status of add_header_map_value(x-empty, \"\")"
  ;; @str $status_of_get_header_map "status of get_header_map_pairs"
  ;; @str $map_after_the_adds "map after the adds"
  ;; @str $status_of_get_header_map_value "status of get_header_map_value(x-dup)"
  ;; @str $value_of_x_dup_the_first_one "value of x-dup (the first one)"
  ;; @str $pairs_method_get_path_authority_h "\07\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\01\00\00\00\0a\00\00\00\01\00\00\00\05\00\00\00\01\00\00\00\05\00\00\00\01\00\00\00\05\00\00\00\01\00\00\00\07\00\00\00\00\00\00\00:method\00GET\00:path\00/\00:authority\00h\00x-dup\000\00x-dup\001\00x-dup\002\00x-empty\00\00"
  (func $check_out (param $what i32) (param $what_len i32) (param $want i32) (param $want_len i32)
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $what) (local.get $what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $status_of_add_header_map) (global.get $status_of_add_header_map_len) (i32.const 0)
      (call $add (i32.const 0) (global.get $x_dup) (global.get $x_dup_len) (global.get $s_1) (global.get $s_1_len)))
    (call $check_eq (global.get $status_of_add_header_map_value) (global.get $status_of_add_header_map_value_len) (i32.const 0)
      (call $add (i32.const 0) (global.get $x_dup_2) (global.get $x_dup_2_len) (global.get $s_2) (global.get $s_2_len)))
    (call $check_eq (global.get $status_of_add_header_map_value_x) (global.get $status_of_add_header_map_value_x_len) (i32.const 0)
      (call $add (i32.const 0) (global.get $x_empty) (global.get $x_empty_len) (i32.const 2100) (i32.const 0)))
    (call $check_eq (global.get $status_of_get_header_map) (global.get $status_of_get_header_map_len) (i32.const 0)
      (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $map_after_the_adds) (global.get $map_after_the_adds_len) (global.get $pairs_method_get_path_authority_h) (global.get $pairs_method_get_path_authority_h_len))
    (call $check_eq (global.get $status_of_get_header_map_value) (global.get $status_of_get_header_map_value_len) (i32.const 0)
      (call $get (i32.const 0) (global.get $x_dup) (global.get $x_dup_len) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $value_of_x_dup_the_first_one) (global.get $value_of_x_dup_the_first_one_len) (global.get $s_0) (global.get $s_0_len))
    (i32.const 0)))
