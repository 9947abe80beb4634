(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_remove_header_map_value" (func $remove (param i32 i32 i32) (result i32)))
  ;; @str $x_t "x-t"
  ;; @str $s_2 "2"
  ;; @str $x_new "x-new"
  ;; @str $n_2 "n"
  ;; @str $x_drop "x-drop"
  ;; @str $x_rt "x-rt"
  ;; @str $r "r"
  ;; @str $request_trailers_num "request trailers: num_trailers vs pairs"
  ;; @str $request_trailers_replace_x_t "request trailers: replace x-t"
  ;; @str $request_trailers_add_x_new "request trailers: add x-new"
  ;; @str $request_trailers_remove_x "request trailers: remove x-drop"
  ;; @str $request_trailers_entries "request trailers: entries after the changes"
  ;; @str $response_trailers_num "response trailers: num_trailers vs pairs"
  ;; @str $response_trailers_add_x_rt "response trailers: add x-rt"
  (func $count (param $map i32) (result i32)
    (i32.store (i32.const 2052) (i32.const 0))
    (drop (call $pairs (local.get $map) (i32.const 2048) (i32.const 2052)))
    (if (result i32) (i32.eqz (i32.load (i32.const 2052)))
      (then (i32.const 0))
      (else (i32.load (i32.load (i32.const 2048))))))
  (func (export "proxy_on_request_trailers") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (global.get $request_trailers_num) (global.get $request_trailers_num_len) (local.get $n) (call $count (i32.const 1)))
    (call $check_eq (global.get $request_trailers_replace_x_t) (global.get $request_trailers_replace_x_t_len) (i32.const 0)
      (call $replace (i32.const 1) (global.get $x_t) (global.get $x_t_len) (global.get $s_2) (global.get $s_2_len)))
    (call $check_eq (global.get $request_trailers_add_x_new) (global.get $request_trailers_add_x_new_len) (i32.const 0)
      (call $add (i32.const 1) (global.get $x_new) (global.get $x_new_len) (global.get $n_2) (global.get $n_2_len)))
    (call $check_eq (global.get $request_trailers_remove_x) (global.get $request_trailers_remove_x_len) (i32.const 0)
      (call $remove (i32.const 1) (global.get $x_drop) (global.get $x_drop_len)))
    (call $check_eq (global.get $request_trailers_entries) (global.get $request_trailers_entries_len) (i32.const 2) (call $count (i32.const 1)))
    (i32.const 0))
  (func (export "proxy_on_response_trailers") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (global.get $response_trailers_num) (global.get $response_trailers_num_len) (local.get $n) (call $count (i32.const 3)))
    (call $check_eq (global.get $response_trailers_add_x_rt) (global.get $response_trailers_add_x_rt_len) (i32.const 0)
      (call $add (i32.const 3) (global.get $x_rt) (global.get $x_rt_len) (global.get $r) (global.get $r_len)))
    (i32.const 0)))
