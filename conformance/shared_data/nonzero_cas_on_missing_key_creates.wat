(module
;; @include base
  (import "env" "proxy_set_shared_data" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_shared_data" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (data (i32.const 16) "fresh-key")
  (data (i32.const 32) "v")
  (data (i32.const 64) "set with cas 12345 on a missing key")
  (data (i32.const 112) "the key now exists")
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (i32.const 64) (i32.const 35) (i32.const 0)
      (call $set (i32.const 16) (i32.const 9) (i32.const 32) (i32.const 1) (i32.const 12345)))
    (call $check_eq (i32.const 112) (i32.const 18) (i32.const 0)
      (call $get (i32.const 16) (i32.const 9) (i32.const 2048) (i32.const 2052) (i32.const 2056)))
    (i32.const 1)))
