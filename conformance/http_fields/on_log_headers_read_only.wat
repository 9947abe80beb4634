(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_set_header_map_pairs" (func $set_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_remove_header_map_value" (func $remove (param i32 i32 i32) (result i32)))
  ;; @str $path ":path"
  ;; @str $logged "/logged"
  ;; @str $status ":status"
  ;; @str $s_200 "200"
  ;; @str $x_rt "x-rt"
  ;; @str $t "t"
  ;; @str $x_in "x-in"
  ;; @str $x_late "x-late"
  ;; @str $changed "/changed"
  ;; @str $on_log_request_header_path "on_log: request header :path"
  ;; @str $on_log_status_of_get_header "on_log: status of get_header_map_pairs(request headers)"
  ;; @str $on_log_request_header "on_log: request header entries"
  ;; @str $on_log_response_header "on_log: response header :status"
  ;; @str $on_log_response_trailer_x_rt "on_log: response trailer x-rt"
  ;; @str $on_log_add_header_map_value "on_log: add_header_map_value(request headers)"
  ;; @str $on_log_replace_header_map "on_log: replace_header_map_value(request headers)"
  ;; @str $on_log_remove_header_map "on_log: remove_header_map_value(request headers)"
  ;; @str $on_log_set_header_map_pairs "on_log: set_header_map_pairs(request headers)"
  ;; @str $on_log_add_header_map_value_response "on_log: add_header_map_value(response headers)"
  ;; @str $on_log_path_after_the "on_log: :path after the refused writes"
  ;; @str $on_log_status_of_get_header_map "on_log: status of get_header_map_value"
  ;; @str $pairs_x_late_1 "\01\00\00\00\06\00\00\00\01\00\00\00x-late\001\00"
  ;; reads a value of a map and checks it (status OK, then the bytes)
  (func $expect_value (param $map i32) (param $key i32) (param $key_len i32) (param $want i32) (param $want_len i32) (param $what i32) (param $what_len i32)
    (call $check_eq (global.get $on_log_status_of_get_header_map) (global.get $on_log_status_of_get_header_map_len) (i32.const 0)
      (call $get (local.get $map) (local.get $key) (local.get $key_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $what) (local.get $what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  (func (export "proxy_on_log") (param $ctx i32)
    (call $expect_value (i32.const 0) (global.get $path) (global.get $path_len) (global.get $logged) (global.get $logged_len) (global.get $on_log_request_header_path) (global.get $on_log_request_header_path_len))
    (call $check_eq (global.get $on_log_status_of_get_header) (global.get $on_log_status_of_get_header_len) (i32.const 0)
      (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $on_log_request_header) (global.get $on_log_request_header_len) (i32.const 4) (i32.load (i32.load (i32.const 2048))))
    (call $expect_value (i32.const 2) (global.get $status) (global.get $status_len) (global.get $s_200) (global.get $s_200_len) (global.get $on_log_response_header) (global.get $on_log_response_header_len))
    (call $expect_value (i32.const 3) (global.get $x_rt) (global.get $x_rt_len) (global.get $t) (global.get $t_len) (global.get $on_log_response_trailer_x_rt) (global.get $on_log_response_trailer_x_rt_len))
    (call $check_eq (global.get $on_log_add_header_map_value) (global.get $on_log_add_header_map_value_len) (i32.const 2)
      (call $add (i32.const 0) (global.get $x_late) (global.get $x_late_len) (global.get $t) (global.get $t_len)))
    (call $check_eq (global.get $on_log_replace_header_map) (global.get $on_log_replace_header_map_len) (i32.const 2)
      (call $replace (i32.const 0) (global.get $path) (global.get $path_len) (global.get $changed) (global.get $changed_len)))
    (call $check_eq (global.get $on_log_remove_header_map) (global.get $on_log_remove_header_map_len) (i32.const 2)
      (call $remove (i32.const 0) (global.get $x_in) (global.get $x_in_len)))
    (call $check_eq (global.get $on_log_set_header_map_pairs) (global.get $on_log_set_header_map_pairs_len) (i32.const 2)
      (call $set_pairs (i32.const 0) (global.get $pairs_x_late_1) (global.get $pairs_x_late_1_len)))
    (call $check_eq (global.get $on_log_add_header_map_value_response) (global.get $on_log_add_header_map_value_response_len) (i32.const 2)
      (call $add (i32.const 2) (global.get $x_late) (global.get $x_late_len) (global.get $t) (global.get $t_len)))
    (call $expect_value (i32.const 0) (global.get $path) (global.get $path_len) (global.get $logged) (global.get $logged_len) (global.get $on_log_path_after_the) (global.get $on_log_path_after_the_len)))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))
