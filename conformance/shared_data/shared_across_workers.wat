;; Each worker's VM copy: the first request seen anywhere stores "shared"; a VM that finds
;; it already stored (by the other worker's copy) checks the value and logs "read".
(module
;; @include base
  (import "env" "proxy_set_shared_data" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_shared_data" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (data (i32.const 16) "owner")
  (data (i32.const 32) "shared")
  (data (i32.const 48) "set")
  (data (i32.const 56) "read")
  (data (i32.const 64) "value seen by the other worker")
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (if (i32.eq (call $get (i32.const 16) (i32.const 5) (i32.const 2048) (i32.const 2052) (i32.const 2056)) (i32.const 1))
      (then
        (drop (call $set (i32.const 16) (i32.const 5) (i32.const 32) (i32.const 6) (i32.const 0)))
        (drop (call $pwconf_log (i32.const 2) (i32.const 48) (i32.const 3))))
      (else
        (call $check_bytes (i32.const 64) (i32.const 30) (i32.load (i32.const 2048)) (i32.const 32) (i32.const 6))
        (drop (call $pwconf_log (i32.const 2) (i32.const 56) (i32.const 4)))))
    (i32.const 0)))
