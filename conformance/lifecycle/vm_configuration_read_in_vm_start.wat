(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get_buffer (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $vm_config_bytes "vm-config-bytes"
  ;; @str $vm_configuration_size "vm_configuration_size"
  ;; @str $get_vm_configuration_status "get VM_CONFIGURATION status"
  ;; @str $vm_configuration_length "VM_CONFIGURATION length"
  ;; @str $vm_configuration_bytes "VM_CONFIGURATION bytes"
  ;; @str $vm_configuration_partial "VM_CONFIGURATION partial read length"
  ;; @str $vm_configuration_partial_read "VM_CONFIGURATION partial read bytes"
  (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (global.get $vm_configuration_size) (global.get $vm_configuration_size_len) (i32.const 15) (local.get $size))
    ;; the whole buffer, read the way the SDKs read it
    (call $check_eq (global.get $get_vm_configuration_status) (global.get $get_vm_configuration_status_len) (i32.const 0)
      (call $get_buffer (i32.const 6) (i32.const 0) (i32.const -1) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $vm_configuration_length) (global.get $vm_configuration_length_len) (local.get $size) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $vm_configuration_bytes) (global.get $vm_configuration_bytes_len) (i32.load (i32.const 2048)) (global.get $vm_config_bytes) (global.get $vm_config_bytes_len))
    ;; "config" from offset 3
    (call $check_eq (global.get $get_vm_configuration_status) (global.get $get_vm_configuration_status_len) (i32.const 0)
      (call $get_buffer (i32.const 6) (i32.const 3) (i32.const 6) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $vm_configuration_partial) (global.get $vm_configuration_partial_len) (i32.const 6) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $vm_configuration_partial_read) (global.get $vm_configuration_partial_read_len) (i32.load (i32.const 2048)) (i32.add (global.get $vm_config_bytes) (i32.const 3)) (i32.const 6))
    (i32.const 1)))
