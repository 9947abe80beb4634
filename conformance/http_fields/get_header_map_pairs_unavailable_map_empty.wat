(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  ;; @str $get_header_map_pairs_status "get_header_map_pairs status for a map not available now"
  ;; @str $pointer_for_a_map_not "pointer for a map not available now"
  ;; @str $length_for_a_map_not "length for a map not available now"
  (func $empty (param $map i32)
    (i32.store (i32.const 2048) (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (call $check_eq (global.get $get_header_map_pairs_status) (global.get $get_header_map_pairs_status_len) (i32.const 0)
      (call $pairs (local.get $map) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $pointer_for_a_map_not) (global.get $pointer_for_a_map_not_len) (i32.const 0) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $length_for_a_map_not) (global.get $length_for_a_map_not_len) (i32.const 0) (i32.load (i32.const 2052))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $empty (i32.const 2))
    (call $empty (i32.const 3))
    (call $empty (i32.const 1))
    (i32.const 0)))
