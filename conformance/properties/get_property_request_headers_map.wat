(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  ;; @str $request_headers "request\00headers"
  ;; {":method": "GET", ":path": "/m", ":authority": "h.example", "x-k": ""} in the pair format
  ;; @str $pairs_method_get_path_m_authority "\04\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\02\00\00\00\0a\00\00\00\09\00\00\00\03\00\00\00\00\00\00\00:method\00GET\00:path\00/m\00:authority\00h.example\00x-k\00\00"
  ;; @str $request_headers_status "request.headers status"
  ;; @str $request_headers_length "request.headers length"
  ;; @str $request_headers_bytes "request.headers bytes"
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $request_headers_status) (global.get $request_headers_status_len) (i32.const 0)
      (call $get_property (global.get $request_headers) (global.get $request_headers_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $request_headers_length) (global.get $request_headers_length_len) (global.get $pairs_method_get_path_m_authority_len) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $request_headers_bytes) (global.get $request_headers_bytes_len) (i32.load (i32.const 2048)) (global.get $pairs_method_get_path_m_authority) (global.get $pairs_method_get_path_m_authority_len))
    (i32.const 0)))
