(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  ;; @str $request_headers_status_of "request headers: status of get_header_map_pairs"
  ;; @str $request_headers_serialized "request headers: serialized length"
  ;; @str $request_headers_serialized_bytes "request headers: serialized bytes"
  ;; @str $request_headers_num_headers "request headers: num_headers vs serialized count"
  ;; @str $response_headers_status_of "response headers: status of get_header_map_pairs"
  ;; @str $response_headers_serialized "response headers: serialized length"
  ;; @str $response_headers_serialized_bytes "response headers: serialized bytes"
  ;; @str $response_headers_num_headers "response headers: num_headers vs serialized count"
  ;; @str $pairs_method_get_path_p_authority "\04\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\02\00\00\00\0a\00\00\00\03\00\00\00\03\00\00\00\02\00\00\00:method\00GET\00:path\00/p\00:authority\00a.b\00x-k\00v1\00"
  ;; @str $pairs_status_200_x_r_1_x_empty "\03\00\00\00\07\00\00\00\03\00\00\00\03\00\00\00\01\00\00\00\07\00\00\00\00\00\00\00:status\00200\00x-r\001\00x-empty\00\00"
  ;; checks the (ptr, len) the host wrote at 2048 / 2052 against want_len bytes at want
  (func $check_out (param $len_what i32) (param $len_what_len i32) (param $bytes_what i32) (param $bytes_what_len i32) (param $want i32) (param $want_len i32)
    (call $check_eq (local.get $len_what) (local.get $len_what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $bytes_what) (local.get $bytes_what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $request_headers_status_of) (global.get $request_headers_status_of_len) (i32.const 0)
      (call $pairs (i32.const 0) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $request_headers_serialized) (global.get $request_headers_serialized_len) (global.get $request_headers_serialized_bytes) (global.get $request_headers_serialized_bytes_len) (global.get $pairs_method_get_path_p_authority) (global.get $pairs_method_get_path_p_authority_len))
    (call $check_eq (global.get $request_headers_num_headers) (global.get $request_headers_num_headers_len) (local.get $n) (i32.load (i32.load (i32.const 2048))))
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $response_headers_status_of) (global.get $response_headers_status_of_len) (i32.const 0)
      (call $pairs (i32.const 2) (i32.const 2048) (i32.const 2052)))
    (call $check_out (global.get $response_headers_serialized) (global.get $response_headers_serialized_len) (global.get $response_headers_serialized_bytes) (global.get $response_headers_serialized_bytes_len) (global.get $pairs_status_200_x_r_1_x_empty) (global.get $pairs_status_200_x_r_1_x_empty_len))
    (call $check_eq (global.get $response_headers_num_headers) (global.get $response_headers_num_headers_len) (local.get $n) (i32.load (i32.load (i32.const 2048))))
    (i32.const 0)))
