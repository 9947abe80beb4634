(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_remove_header_map_value" (func $remove (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_r "X-R"
  ;; @str $x_r_2 "x-r"
  ;; @str $x_absent "x-absent"
  ;; @str $status_of_remove_header_map "status of remove_header_map_value(X-R)"
  ;; @str $status_of_get_header_map "status of get_header_map_value(x-r) after the remove"
  ;; @str $entries_after_removing_both "entries after removing both x-r"
  ;; @str $status_of_remove_header_map_value "status of remove_header_map_value for an absent name"
  ;; @str $entries_after_removing_an "entries after removing an absent name"
  (func $count (result i32)
    (drop (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (if (result i32) (i32.eqz (i32.load (i32.const 2052)))
      (then (i32.const 0))
      (else (i32.load (i32.load (i32.const 2048))))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $status_of_remove_header_map) (global.get $status_of_remove_header_map_len) (i32.const 0)
      (call $remove (i32.const 0) (global.get $x_r) (global.get $x_r_len)))
    (call $check_eq (global.get $status_of_get_header_map) (global.get $status_of_get_header_map_len) (i32.const 1)
      (call $get (i32.const 0) (global.get $x_r_2) (global.get $x_r_2_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $entries_after_removing_both) (global.get $entries_after_removing_both_len) (i32.const 4) (call $count))
    (call $check_eq (global.get $status_of_remove_header_map_value) (global.get $status_of_remove_header_map_value_len) (i32.const 0)
      (call $remove (i32.const 0) (global.get $x_absent) (global.get $x_absent_len)))
    (call $check_eq (global.get $entries_after_removing_an) (global.get $entries_after_removing_an_len) (i32.const 4) (call $count))
    (i32.const 0)))
