(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_set_header_map_pairs" (func $set_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_canary "x-canary"
  ;; @str $s_1 "1"
  ;; @str $status_of_add_header_map "status of add_header_map_value(x-canary)"
  ;; the malformed serializations
  ;; @str $pairs_cut_short "\01\00\00"
  ;; @str $pairs_count_1025 "\01\04\00\00"
  ;; @str $pairs_key_past_end "\01\00\00\00\05\00\00\00\01\00\00\00ab\00"
  ;; @str $pairs_xbx "\01\00\00\00\01\00\00\00\01\00\00\00aXbX"
  ;; @str $pairs_trailing_byte "\01\00\00\00\01\00\00\00\01\00\00\00a\00b\00\00"
  ;; what each one checks
  ;; @str $empty_input_status "empty input: status"
  ;; @str $empty_input_map_length_left "empty input: map length left"
  ;; @str $s_3_bytes_status "3 bytes: status"
  ;; @str $s_3_bytes_map_length_left "3 bytes: map length left"
  ;; @str $s_1025_pairs_status "1025 pairs: status"
  ;; @str $s_1025_pairs_map_length_left "1025 pairs: map length left"
  ;; @str $lengths_past_the_end_status "lengths past the end: status"
  ;; @str $lengths_past_the_end_map "lengths past the end: map length left"
  ;; @str $missing_nul_status "missing NUL: status"
  ;; @str $missing_nul_map_length_left "missing NUL: map length left"
  ;; @str $trailing_byte_status "trailing byte: status"
  ;; @str $trailing_byte_map_length "trailing byte: map length left"
  ;; @str $restore_status "restore: status"
  ;; @str $pairs_method_get_path_restored "\03\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\09\00\00\00\0a\00\00\00\01\00\00\00:method\00GET\00:path\00/restored\00:authority\00h\00"
  ;; puts an entry in the map, sets the malformed bytes, and checks the map is empty after
  (func $try (param $ptr i32) (param $len i32) (param $status_what i32) (param $status_len i32) (param $left_what i32) (param $left_len i32)
    (call $check_eq (global.get $status_of_add_header_map) (global.get $status_of_add_header_map_len) (i32.const 0)
      (call $add (i32.const 0) (global.get $x_canary) (global.get $x_canary_len) (global.get $s_1) (global.get $s_1_len)))
    (call $check_eq (local.get $status_what) (local.get $status_len) (i32.const 0)
      (call $set_pairs (i32.const 0) (local.get $ptr) (local.get $len)))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (drop (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $left_what) (local.get $left_len) (i32.const 0) (i32.load (i32.const 2052))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $try (i32.const 2100) (i32.const 0) (global.get $empty_input_status) (global.get $empty_input_status_len) (global.get $empty_input_map_length_left) (global.get $empty_input_map_length_left_len))
    (call $try (global.get $pairs_cut_short) (global.get $pairs_cut_short_len) (global.get $s_3_bytes_status) (global.get $s_3_bytes_status_len) (global.get $s_3_bytes_map_length_left) (global.get $s_3_bytes_map_length_left_len))
    (call $try (global.get $pairs_count_1025) (global.get $pairs_count_1025_len) (global.get $s_1025_pairs_status) (global.get $s_1025_pairs_status_len) (global.get $s_1025_pairs_map_length_left) (global.get $s_1025_pairs_map_length_left_len))
    (call $try (global.get $pairs_key_past_end) (global.get $pairs_key_past_end_len) (global.get $lengths_past_the_end_status) (global.get $lengths_past_the_end_status_len) (global.get $lengths_past_the_end_map) (global.get $lengths_past_the_end_map_len))
    (call $try (global.get $pairs_xbx) (global.get $pairs_xbx_len) (global.get $missing_nul_status) (global.get $missing_nul_status_len) (global.get $missing_nul_map_length_left) (global.get $missing_nul_map_length_left_len))
    (call $try (global.get $pairs_trailing_byte) (global.get $pairs_trailing_byte_len) (global.get $trailing_byte_status) (global.get $trailing_byte_status_len) (global.get $trailing_byte_map_length) (global.get $trailing_byte_map_length_len))
    (call $check_eq (global.get $restore_status) (global.get $restore_status_len) (i32.const 0)
      (call $set_pairs (i32.const 0) (global.get $pairs_method_get_path_restored) (global.get $pairs_method_get_path_restored_len)))
    (i32.const 0)))
