(module
;; @include base
  (import "env" "proxy_get_header_map_size" (func $size (param i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  ;; @str $size_status "size status"
  ;; @str $pairs_status "pairs status"
  ;; @str $size_equals_the_serialized "size equals the serialized pairs"
  ;; @str $serialized_count "serialized count"
  ;; @str $size_of_map_type_9 "size of map type 9"
  ;; @str $size_to_a_wild_pointer "size to a wild pointer"

  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (global.get $size_status) (global.get $size_status_len) (i32.const 0) (call $size (i32.const 0) (i32.const 2048)))
    (call $check_eq (global.get $pairs_status) (global.get $pairs_status_len) (i32.const 0) (call $pairs (i32.const 0) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $size_equals_the_serialized) (global.get $size_equals_the_serialized_len) (i32.load (i32.const 2060)) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $serialized_count) (global.get $serialized_count_len) (local.get $n) (i32.load (i32.load (i32.const 2056))))
    (call $check_eq (global.get $size_of_map_type_9) (global.get $size_of_map_type_9_len) (i32.const 2) (call $size (i32.const 9) (i32.const 2048)))
    (call $check_eq (global.get $size_to_a_wild_pointer) (global.get $size_to_a_wild_pointer_len) (i32.const 6) (call $size (i32.const 0) (i32.const 0x7ffffffe)))
    (i32.const 0))
)
