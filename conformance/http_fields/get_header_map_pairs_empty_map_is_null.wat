(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_set_header_map_pairs" (func $set_pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_size" (func $size (param i32 i32) (result i32)))
  ;; @str $zero_pairs "\00\00\00\00"
  ;; @str $status_of_get_header_map "status of get_header_map_pairs (original map)"
  ;; @str $status_of_set_header_map "status of set_header_map_pairs (N = 0)"
  ;; @str $status_of_get_header_map_pairs "status of get_header_map_pairs (empty map)"
  ;; @str $pointer_returned_for_an "pointer returned for an empty map"
  ;; @str $length_returned_for_an_empty "length returned for an empty map"
  ;; @str $status_of_get_header_map_size "status of get_header_map_size (empty map)"
  ;; @str $size_of_an_empty_map "size of an empty map"
  ;; @str $status_of_set_header_map_pairs "status of set_header_map_pairs (restore)"
  ;; @str $serialization_after "serialization after restoring the map"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (local $saved i32) (local $saved_len i32)
    (call $check_eq (global.get $status_of_get_header_map) (global.get $status_of_get_header_map_len) (i32.const 0)
      (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (local.set $saved (i32.load (i32.const 2048)))
    (local.set $saved_len (i32.load (i32.const 2052)))
    (call $check_eq (global.get $status_of_set_header_map) (global.get $status_of_set_header_map_len) (i32.const 0)
      (call $set_pairs (i32.const 0) (global.get $zero_pairs) (global.get $zero_pairs_len)))
    ;; poison the out-params: the host must write both
    (i32.store (i32.const 2048) (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (call $check_eq (global.get $status_of_get_header_map_pairs) (global.get $status_of_get_header_map_pairs_len) (i32.const 0)
      (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $pointer_returned_for_an) (global.get $pointer_returned_for_an_len) (i32.const 0) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $length_returned_for_an_empty) (global.get $length_returned_for_an_empty_len) (i32.const 0) (i32.load (i32.const 2052)))
    (i32.store (i32.const 2056) (i32.const 0x5a5a5a5a))
    (call $check_eq (global.get $status_of_get_header_map_size) (global.get $status_of_get_header_map_size_len) (i32.const 0)
      (call $size (i32.const 0) (i32.const 2056)))
    (call $check_eq (global.get $size_of_an_empty_map) (global.get $size_of_an_empty_map_len) (i32.const 0) (i32.load (i32.const 2056)))
    (call $check_eq (global.get $status_of_set_header_map_pairs) (global.get $status_of_set_header_map_pairs_len) (i32.const 0)
      (call $set_pairs (i32.const 0) (local.get $saved) (local.get $saved_len)))
    (drop (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $serialization_after) (global.get $serialization_after_len) (local.get $saved_len) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $serialization_after) (global.get $serialization_after_len)
      (i32.load (i32.const 2048)) (local.get $saved) (local.get $saved_len))
    (i32.const 0)))
