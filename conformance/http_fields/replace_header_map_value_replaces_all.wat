(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_r "X-R"
  ;; @str $x_r_2 "x-r"
  ;; @str $c "c"
  ;; @str $x_new "x-new"
  ;; @str $n_2 "n"
  ;; @str $status_of_replace_header_map "status of replace_header_map_value(X-R, c)"
  ;; @str $entries_after_replacing_x_r "entries after replacing x-r (two before)"
  ;; @str $status_of_get_header_map "status of get_header_map_value(x-r)"
  ;; @str $value_of_x_r_after_the "value of x-r after the replace"
  ;; @str $status_of_replace_header_map_value "status of replace_header_map_value(x-new, n) for an absent name"
  ;; @str $entries_after_replacing_an "entries after replacing an absent name"
  ;; @str $status_of_get_header_map_value "status of get_header_map_value(x-new)"
  ;; @str $value_of_x_new "value of x-new"
  (func $check_out (param $what i32) (param $what_len i32) (param $want i32) (param $want_len i32)
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $what) (local.get $what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  ;; the number of entries in the request headers (the count of their serialization)
  (func $count (result i32)
    (drop (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (if (result i32) (i32.eqz (i32.load (i32.const 2052)))
      (then (i32.const 0))
      (else (i32.load (i32.load (i32.const 2048))))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $status_of_replace_header_map) (global.get $status_of_replace_header_map_len) (i32.const 0)
      (call $replace (i32.const 0) (global.get $x_r) (global.get $x_r_len) (global.get $c) (global.get $c_len)))
    (call $check_eq (global.get $entries_after_replacing_x_r) (global.get $entries_after_replacing_x_r_len) (i32.const 5) (call $count))
    (call $check_eq (global.get $status_of_get_header_map) (global.get $status_of_get_header_map_len) (i32.const 0)
      (call $get (i32.const 0) (global.get $x_r_2) (global.get $x_r_2_len) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $value_of_x_r_after_the) (global.get $value_of_x_r_after_the_len) (global.get $c) (global.get $c_len))
    (call $check_eq (global.get $status_of_replace_header_map_value) (global.get $status_of_replace_header_map_value_len) (i32.const 0)
      (call $replace (i32.const 0) (global.get $x_new) (global.get $x_new_len) (global.get $n_2) (global.get $n_2_len)))
    (call $check_eq (global.get $entries_after_replacing_an) (global.get $entries_after_replacing_an_len) (i32.const 6) (call $count))
    (call $check_eq (global.get $status_of_get_header_map_value) (global.get $status_of_get_header_map_value_len) (i32.const 0)
      (call $get (i32.const 0) (global.get $x_new) (global.get $x_new_len) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $value_of_x_new) (global.get $value_of_x_new_len) (global.get $n_2) (global.get $n_2_len))
    (i32.const 0)))
