(module
  ;; No `;; @include base`: this module counts its own allocator calls.
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_property" (func $set_property (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 16384))
  (global $calls (mut i32) (i32.const 0))
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (i32.add (local.get $size) (i32.const 8))))
    (local.get $p))
  ;; @str $plugin_root_id "plugin_root_id"
  ;; @str $request_query "request\00query"
  ;; @str $pwconf_empty "pwconf_empty"
  ;; @str $pwconf_fail_plugin_root_id "pwconf-fail: plugin_root_id (configured empty) is not OK with pointer 0, length 0"
  ;; @str $pwconf_fail_request_query_of "pwconf-fail: request.query of a path without ? is not OK with pointer 0, length 0"
  ;; @str $pwconf_fail_an_empty_custom "pwconf-fail: an empty custom property is not OK with pointer 0, length 0"
  ;; @str $pwconf_fail_the_allocator "pwconf-fail: the allocator was called for an empty result"
  ;; @str $pwconf_fail_setting_an_empty "pwconf-fail: setting an empty custom property is not OK"
  (func $check (param $ok i32) (param $msg i32) (param $len i32)
    (if (i32.eqz (local.get $ok))
      (then (drop (call $log (i32.const 5) (local.get $msg) (local.get $len))))))
  ;; reads a property, true when it answered OK with pointer 0 and length 0
  (func $empty (param $path i32) (param $len i32) (result i32)
    (i32.store (i32.const 2048) (i32.const -1))
    (i32.store (i32.const 2052) (i32.const -1))
    (i32.and
      (i32.eqz (call $get_property (local.get $path) (local.get $len) (i32.const 2048) (i32.const 2052)))
      (i32.and (i32.eqz (i32.load (i32.const 2048))) (i32.eqz (i32.load (i32.const 2052))))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $check (call $empty (global.get $plugin_root_id) (global.get $plugin_root_id_len)) (global.get $pwconf_fail_plugin_root_id) (global.get $pwconf_fail_plugin_root_id_len))
    (call $check (i32.eqz (global.get $calls)) (global.get $pwconf_fail_the_allocator) (global.get $pwconf_fail_the_allocator_len))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $check (call $empty (global.get $request_query) (global.get $request_query_len)) (global.get $pwconf_fail_request_query_of) (global.get $pwconf_fail_request_query_of_len))
    (call $check (i32.eqz (call $set_property (global.get $pwconf_empty) (global.get $pwconf_empty_len) (i32.const 0) (i32.const 0)))
      (global.get $pwconf_fail_setting_an_empty) (global.get $pwconf_fail_setting_an_empty_len))
    (call $check (call $empty (global.get $pwconf_empty) (global.get $pwconf_empty_len)) (global.get $pwconf_fail_an_empty_custom) (global.get $pwconf_fail_an_empty_custom_len))
    (call $check (i32.eqz (global.get $calls)) (global.get $pwconf_fail_the_allocator) (global.get $pwconf_fail_the_allocator_len))
    (i32.const 0)))
