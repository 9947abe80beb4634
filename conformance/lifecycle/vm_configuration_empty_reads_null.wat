(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get_buffer (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $vm_configuration_size "vm_configuration_size"
  ;; @str $get_empty_vm_configuration "get empty VM_CONFIGURATION status"
  ;; @str $empty_vm_configuration "empty VM_CONFIGURATION pointer"
  ;; @str $empty_vm_configuration_length "empty VM_CONFIGURATION length"
  ;; @str $allocator_bump_for_an_empty "allocator bump for an empty result"
  (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
    (local $heap i32)
    (call $check_eq (global.get $vm_configuration_size) (global.get $vm_configuration_size_len) (i32.const 0) (local.get $size))
    (i32.store (i32.const 2048) (i32.const 0x5a5a5a5a))
    (i32.store (i32.const 2052) (i32.const 0x5a5a5a5a))
    (local.set $heap (global.get $pwconf_heap))
    (call $check_eq (global.get $get_empty_vm_configuration) (global.get $get_empty_vm_configuration_len) (i32.const 0)
      (call $get_buffer (i32.const 6) (i32.const 0) (i32.const -1) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $empty_vm_configuration) (global.get $empty_vm_configuration_len) (i32.const 0) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $empty_vm_configuration_length) (global.get $empty_vm_configuration_length_len) (i32.const 0) (i32.load (i32.const 2052)))
    (call $check_eq (global.get $allocator_bump_for_an_empty) (global.get $allocator_bump_for_an_empty_len) (local.get $heap) (global.get $pwconf_heap))
    (i32.const 1)))
