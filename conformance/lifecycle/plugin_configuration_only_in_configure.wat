(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get_buffer (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $plugin_cfg "plugin-cfg"
  ;; @str $plugin_configuration_size "plugin_configuration_size"
  ;; @str $plugin_configuration_in_on "PLUGIN_CONFIGURATION in on_configure"
  ;; @str $plugin_configuration_length "PLUGIN_CONFIGURATION length"
  ;; @str $plugin_configuration_bytes "PLUGIN_CONFIGURATION bytes"
  ;; @str $plugin_configuration_in_root "PLUGIN_CONFIGURATION in root on_context_create"
  ;; @str $plugin_configuration_in_on_vm "PLUGIN_CONFIGURATION in on_vm_start"
  ;; @str $plugin_configuration_in_a "PLUGIN_CONFIGURATION in a stream callback"
  ;; @str $plugin_configuration_in "PLUGIN_CONFIGURATION in stream on_context_create"
  (func $read (result i32)
    (call $get_buffer (i32.const 7) (i32.const 0) (i32.const -1) (i32.const 2048) (i32.const 2052)))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent))
      (then (call $check_eq (global.get $plugin_configuration_in_root) (global.get $plugin_configuration_in_root_len) (i32.const 0) (call $read)))
      (else (call $check_eq (global.get $plugin_configuration_in) (global.get $plugin_configuration_in_len) (i32.const 1) (call $read)))))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $plugin_configuration_in_on_vm) (global.get $plugin_configuration_in_on_vm_len) (i32.const 1) (call $read))
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (global.get $plugin_configuration_size) (global.get $plugin_configuration_size_len) (i32.const 10) (local.get $size))
    (call $check_eq (global.get $plugin_configuration_in_on) (global.get $plugin_configuration_in_on_len) (i32.const 0) (call $read))
    (call $check_eq (global.get $plugin_configuration_length) (global.get $plugin_configuration_length_len) (local.get $size) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $plugin_configuration_bytes) (global.get $plugin_configuration_bytes_len) (i32.load (i32.const 2048)) (global.get $plugin_cfg) (global.get $plugin_cfg_len))
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $plugin_configuration_in_a) (global.get $plugin_configuration_in_a_len) (i32.const 1) (call $read))
    (i32.const 0)))
