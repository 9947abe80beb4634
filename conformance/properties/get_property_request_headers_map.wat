(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (data (i32.const 16) "request\00headers")
  ;; {":method": "GET", ":path": "/m", ":authority": "h.example", "x-k": ""} in the pair format
  (data (i32.const 64) "\04\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\02\00\00\00\0a\00\00\00\09\00\00\00\03\00\00\00\00\00\00\00:method\00GET\00:path\00/m\00:authority\00h.example\00x-k\00\00")
  (data (i32.const 256) "request.headers status")
  (data (i32.const 288) "request.headers length")
  (data (i32.const 320) "request.headers bytes")
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $check_eq (i32.const 256) (i32.const 22) (i32.const 0)
      (call $get_property (i32.const 16) (i32.const 15) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (i32.const 288) (i32.const 22) (i32.const 83) (i32.load (i32.const 2052)))
    (call $check_bytes (i32.const 320) (i32.const 21) (i32.load (i32.const 2048)) (i32.const 64) (i32.const 83))
    (i32.const 0)))
