(module
  ;; No `;; @include base`: the allocator refuses (returns 0) while $refuse is set.
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 16384))
  (global $refuse (mut i32) (i32.const 0))
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    ;; 1: refuse with 0; 2: hand out a block past the end of memory
    (if (i32.eq (global.get $refuse) (i32.const 1)) (then (return (i32.const 0))))
    (if (i32.eq (global.get $refuse) (i32.const 2)) (then (return (i32.const 131070))))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (i32.add (local.get $size) (i32.const 8))))
    (local.get $p))
  ;; @str $plugin_name "plugin_name"
  ;; @str $pwconf_fail_get_property "pwconf-fail: get_property with a refusing allocator is not INVALID_MEMORY_ACCESS"
  ;; @str $pwconf_fail_get_property_after "pwconf-fail: get_property after the allocator recovered is not OK"
  ;; @str $pwconf_fail_get_property_with "pwconf-fail: get_property with an out-of-memory block is not INVALID_MEMORY_ACCESS"
  (func $check (param $ok i32) (param $msg i32) (param $len i32)
    (if (i32.eqz (local.get $ok))
      (then (drop (call $log (i32.const 5) (local.get $msg) (local.get $len))))))
  (func $try
    (global.set $refuse (i32.const 1))
    (call $check (i32.eq (i32.const 6)
        (call $get_property (global.get $plugin_name) (global.get $plugin_name_len) (i32.const 2048) (i32.const 2052)))
      (global.get $pwconf_fail_get_property) (global.get $pwconf_fail_get_property_len))
    (global.set $refuse (i32.const 2))
    (call $check (i32.eq (i32.const 6)
        (call $get_property (global.get $plugin_name) (global.get $plugin_name_len) (i32.const 2048) (i32.const 2052)))
      (global.get $pwconf_fail_get_property_with) (global.get $pwconf_fail_get_property_with_len))
    (global.set $refuse (i32.const 0))
    (call $check (i32.eqz
        (call $get_property (global.get $plugin_name) (global.get $plugin_name_len) (i32.const 2048) (i32.const 2052)))
      (global.get $pwconf_fail_get_property_after) (global.get $pwconf_fail_get_property_after_len)))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $try)
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $try)
    (i32.const 0))
  (func (export "proxy_on_response_body") (param i32 i32 i32) (result i32)
    (call $try)
    (i32.const 0)))
