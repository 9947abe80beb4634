(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  ;; @str $plugin_name "plugin_name"
  ;; @str $plugin_root_id "plugin_root_id"
  ;; @str $plugin_vm_id "plugin_vm_id"
  ;; @str $identity_2 "identity"
  ;; @str $identity_root "identity_root"
  ;; @str $identity_vm "identity_vm"
  ;; @str $plugin_name_status "plugin_name status"
  ;; @str $plugin_name_length "plugin_name length"
  ;; @str $plugin_name_bytes "plugin_name bytes"
  ;; @str $plugin_root_id_status "plugin_root_id status"
  ;; @str $plugin_root_id_length "plugin_root_id length"
  ;; @str $plugin_root_id_bytes "plugin_root_id bytes"
  ;; @str $plugin_vm_id_status "plugin_vm_id status"
  ;; @str $plugin_vm_id_length "plugin_vm_id length"
  ;; @str $plugin_vm_id_bytes "plugin_vm_id bytes"
  (func $identity
    (call $check_eq (global.get $plugin_name_status) (global.get $plugin_name_status_len) (i32.const 0)
      (call $get_property (global.get $plugin_name) (global.get $plugin_name_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $plugin_name_length) (global.get $plugin_name_length_len) (i32.const 8) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $plugin_name_bytes) (global.get $plugin_name_bytes_len) (i32.load (i32.const 2048)) (global.get $identity_2) (global.get $identity_2_len))
    (call $check_eq (global.get $plugin_root_id_status) (global.get $plugin_root_id_status_len) (i32.const 0)
      (call $get_property (global.get $plugin_root_id) (global.get $plugin_root_id_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $plugin_root_id_length) (global.get $plugin_root_id_length_len) (i32.const 13) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $plugin_root_id_bytes) (global.get $plugin_root_id_bytes_len) (i32.load (i32.const 2048)) (global.get $identity_root) (global.get $identity_root_len))
    (call $check_eq (global.get $plugin_vm_id_status) (global.get $plugin_vm_id_status_len) (i32.const 0)
      (call $get_property (global.get $plugin_vm_id) (global.get $plugin_vm_id_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $plugin_vm_id_length) (global.get $plugin_vm_id_length_len) (i32.const 11) (i32.load (i32.const 2052)))
    (call $check_bytes (global.get $plugin_vm_id_bytes) (global.get $plugin_vm_id_bytes_len) (i32.load (i32.const 2048)) (global.get $identity_vm) (global.get $identity_vm_len)))
  (func (export "proxy_on_context_create") (param i32 i32) (call $identity))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (call $identity) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $identity)
    (drop (call $set_tick (i32.const 10)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param i32) (call $identity))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32) (call $identity) (i32.const 0))
  (func (export "proxy_on_response_body") (param i32 i32 i32) (result i32) (call $identity) (i32.const 0))
  (func (export "proxy_on_log") (param i32) (call $identity))
  (func (export "proxy_on_done") (param i32) (result i32) (call $identity) (i32.const 1)))
