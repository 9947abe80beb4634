(module
;; @include base
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_buffer_bytes" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x "x"
  ;; @str $vm_config "vm-config"
  ;; @str $plugin_cfg "plugin-cfg"
  ;; @str $set_buffer_bytes_vm "set_buffer_bytes(VM_CONFIGURATION) prepend"
  ;; @str $set_buffer_bytes_vm_configuration "set_buffer_bytes(VM_CONFIGURATION) replace"
  ;; @str $vm_configuration_read_back "VM configuration read back"
  ;; @str $set_buffer_bytes_plugin "set_buffer_bytes(PLUGIN_CONFIGURATION) prepend"
  ;; @str $set_buffer_bytes_plugin_configuration "set_buffer_bytes(PLUGIN_CONFIGURATION) append"
  ;; @str $plugin_configuration_read "plugin configuration read back"
  ;; @str $set_buffer_bytes_http_call "set_buffer_bytes(HTTP_CALL_RESPONSE_BODY) outside its callback"
  (func $expect (param $buffer i32) (param $want i32) (param $want_len i32) (param $what i32) (param $what_len i32)
    (drop (call $get (local.get $buffer) (i32.const 0) (i32.const 0xffffffff) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want_len) (i32.load (i32.const 2052)))
    (if (i32.eq (local.get $want_len) (i32.load (i32.const 2052)))
      (then (call $check_bytes (local.get $what) (local.get $what_len)
              (i32.load (i32.const 2048)) (local.get $want) (local.get $want_len)))))
  (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (global.get $set_buffer_bytes_vm) (global.get $set_buffer_bytes_vm_len) (i32.const 2)
      (call $set (i32.const 6) (i32.const 0) (i32.const 0) (global.get $x) (global.get $x_len)))
    (call $check_eq (global.get $set_buffer_bytes_vm_configuration) (global.get $set_buffer_bytes_vm_configuration_len) (i32.const 2)
      (call $set (i32.const 6) (i32.const 0) (i32.const 100) (global.get $x) (global.get $x_len)))
    (call $expect (i32.const 6) (global.get $vm_config) (global.get $vm_config_len) (global.get $vm_configuration_read_back) (global.get $vm_configuration_read_back_len))
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (global.get $set_buffer_bytes_plugin) (global.get $set_buffer_bytes_plugin_len) (i32.const 2)
      (call $set (i32.const 7) (i32.const 0) (i32.const 0) (global.get $x) (global.get $x_len)))
    (call $check_eq (global.get $set_buffer_bytes_plugin_configuration) (global.get $set_buffer_bytes_plugin_configuration_len) (i32.const 2)
      (call $set (i32.const 7) (i32.const 0xffffffff) (i32.const 0) (global.get $x) (global.get $x_len)))
    (call $expect (i32.const 7) (global.get $plugin_cfg) (global.get $plugin_cfg_len) (global.get $plugin_configuration_read) (global.get $plugin_configuration_read_len))
    (call $check_eq (global.get $set_buffer_bytes_http_call) (global.get $set_buffer_bytes_http_call_len) (i32.const 1)
      (call $set (i32.const 4) (i32.const 0) (i32.const 0) (global.get $x) (global.get $x_len)))
    (i32.const 1)))
