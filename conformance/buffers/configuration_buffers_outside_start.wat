(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
  ;; @str $vm_config "vm-config"
  ;; @str $get_buffer_bytes_vm "get_buffer_bytes(VM_CONFIGURATION) in a stream callback"
  ;; @str $vm_configuration_read_in_a "VM configuration read in a stream callback"
  ;; @str $get_buffer_bytes_plugin "get_buffer_bytes(PLUGIN_CONFIGURATION) after on_configure"
  ;; @str $get_buffer_status_plugin "get_buffer_status(PLUGIN_CONFIGURATION) after on_configure"
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $get_buffer_bytes_vm) (global.get $get_buffer_bytes_vm_len) (i32.const 0)
      (call $get (i32.const 6) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $vm_configuration_read_in_a) (global.get $vm_configuration_read_in_a_len) (i32.const 9) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $vm_configuration_read_in_a) (global.get $vm_configuration_read_in_a_len) (i32.load (i32.const 2048)) (global.get $vm_config) (global.get $vm_config_len))
    (call $check_eq (global.get $get_buffer_bytes_plugin) (global.get $get_buffer_bytes_plugin_len) (i32.const 1)
      (call $get (i32.const 7) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $get_buffer_status_plugin) (global.get $get_buffer_status_plugin_len) (i32.const 1)
      (call $status (i32.const 7) (i32.const 2048) (i32.const 2052)))
    (i32.const 0)))
