(module
;; @include base
  (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $request_headers_num_headers "request headers: num_headers vs pairs"
  ;; @str $request_trailers_num "request trailers: num_trailers vs pairs"
  ;; @str $response_headers_num_headers "response headers: num_headers vs pairs"
  ;; @str $response_trailers_num "response trailers: num_trailers vs pairs"
  ;; @str $request_body_body_size_vs "request body: body_size vs get_buffer_status"
  ;; @str $request_body_body_size_vs_get "request body: body_size vs get_buffer_bytes length"
  ;; @str $response_body_body_size_vs "response body: body_size vs get_buffer_status"
  ;; @str $response_body_body_size_vs_get "response body: body_size vs get_buffer_bytes length"
  ;; the number of pairs in a map (the count of its serialization; 0 when empty)
  (func $count (param $map i32) (result i32)
    (i32.store (i32.const 2052) (i32.const 0))
    (drop (call $pairs (local.get $map) (i32.const 2048) (i32.const 2052)))
    (if (result i32) (i32.eqz (i32.load (i32.const 2052)))
      (then (i32.const 0))
      (else (i32.load (i32.load (i32.const 2048))))))
  (func $size (param $buffer i32) (result i32)
    (i32.store (i32.const 2056) (i32.const -1))
    (drop (call $status (local.get $buffer) (i32.const 2056) (i32.const 2060)))
    (i32.load (i32.const 2056)))
  (func $readable (param $buffer i32) (result i32)
    (i32.store (i32.const 2052) (i32.const -1))
    (drop (call $get (local.get $buffer) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (i32.load (i32.const 2052)))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $request_headers_num_headers) (global.get $request_headers_num_headers_len) (local.get $n) (call $count (i32.const 0)))
    (i32.const 0))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $request_body_body_size_vs) (global.get $request_body_body_size_vs_len) (local.get $size) (call $size (i32.const 0)))
    (call $check_eq (global.get $request_body_body_size_vs_get) (global.get $request_body_body_size_vs_get_len) (local.get $size) (call $readable (i32.const 0)))
    (i32.const 0))
  (func (export "proxy_on_request_trailers") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (global.get $request_trailers_num) (global.get $request_trailers_num_len) (local.get $n) (call $count (i32.const 1)))
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $response_headers_num_headers) (global.get $response_headers_num_headers_len) (local.get $n) (call $count (i32.const 2)))
    (i32.const 0))
  (func (export "proxy_on_response_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $response_body_body_size_vs) (global.get $response_body_body_size_vs_len) (local.get $size) (call $size (i32.const 1)))
    (call $check_eq (global.get $response_body_body_size_vs_get) (global.get $response_body_body_size_vs_get_len) (local.get $size) (call $readable (i32.const 1)))
    (i32.const 0))
  (func (export "proxy_on_response_trailers") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (global.get $response_trailers_num) (global.get $response_trailers_num_len) (local.get $n) (call $count (i32.const 3)))
    (i32.const 0)))
