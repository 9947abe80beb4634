(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get_buffer (param i32 i32 i32 i32 i32) (result i32)))
  (data (i32.const 16) "vm-config-bytes")
  (data (i32.const 48) "vm_configuration_size")
  (data (i32.const 80) "get VM_CONFIGURATION status")
  (data (i32.const 112) "VM_CONFIGURATION length")
  (data (i32.const 144) "VM_CONFIGURATION bytes")
  (data (i32.const 176) "VM_CONFIGURATION partial read length")
  (data (i32.const 224) "VM_CONFIGURATION partial read bytes")
  (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (i32.const 48) (i32.const 21) (i32.const 15) (local.get $size))
    ;; the whole buffer, read the way the SDKs read it
    (call $check_eq (i32.const 80) (i32.const 27) (i32.const 0)
      (call $get_buffer (i32.const 6) (i32.const 0) (i32.const -1) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (i32.const 112) (i32.const 23) (local.get $size) (i32.load (i32.const 2052)))
    (call $check_bytes (i32.const 144) (i32.const 22) (i32.load (i32.const 2048)) (i32.const 16) (i32.const 15))
    ;; "config" from offset 3
    (call $check_eq (i32.const 80) (i32.const 27) (i32.const 0)
      (call $get_buffer (i32.const 6) (i32.const 3) (i32.const 6) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (i32.const 176) (i32.const 36) (i32.const 6) (i32.load (i32.const 2052)))
    (call $check_bytes (i32.const 224) (i32.const 35) (i32.load (i32.const 2048)) (i32.const 19) (i32.const 6))
    (i32.const 1)))
