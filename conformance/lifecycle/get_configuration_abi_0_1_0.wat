(module
;; @include base
  (import "env" "proxy_get_configuration" (func $get_configuration (param i32 i32) (result i32)))
  ;; @str $vmcfg "vmcfg"
  ;; @str $plugincfg "plugincfg"
  ;; @str $proxy_get_configuration "proxy_get_configuration status in on_vm_start"
  ;; @str $vm_configuration_length "VM configuration length"
  ;; @str $vm_configuration_bytes "VM configuration bytes"
  ;; @str $proxy_get_configuration_status "proxy_get_configuration status in on_configure"
  ;; @str $plugin_configuration_length "plugin configuration length"
  ;; @str $plugin_configuration_bytes "plugin configuration bytes"
  (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (global.get $proxy_get_configuration) (global.get $proxy_get_configuration_len) (i32.const 0)
      (call $get_configuration (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $vm_configuration_length) (global.get $vm_configuration_length_len) (local.get $size) (i32.load (i32.const 2052)))
    (call $check_eq (global.get $vm_configuration_length) (global.get $vm_configuration_length_len) (i32.const 5) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $vm_configuration_bytes) (global.get $vm_configuration_bytes_len) (i32.load (i32.const 2048)) (global.get $vmcfg) (global.get $vmcfg_len))
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (global.get $proxy_get_configuration_status) (global.get $proxy_get_configuration_status_len) (i32.const 0)
      (call $get_configuration (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $plugin_configuration_length) (global.get $plugin_configuration_length_len) (local.get $size) (i32.load (i32.const 2052)))
    (call $check_eq (global.get $plugin_configuration_length) (global.get $plugin_configuration_length_len) (i32.const 9) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $plugin_configuration_bytes) (global.get $plugin_configuration_bytes_len) (i32.load (i32.const 2048)) (global.get $plugincfg) (global.get $plugincfg_len))
    (i32.const 1)))
