(module
  ;; No `;; @include base`: the library exports `malloc`, and this module's only allocator
  ;; is proxy_on_memory_allocate (as Go SDK modules are).
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 16384))
  (global $calls (mut i32) (i32.const 0))
  (global $last_size (mut i32) (i32.const -1))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $p i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (global.set $last_size (local.get $size))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (i32.add (local.get $size) (i32.const 8))))
    (local.get $p))
  ;; @str $plugin_name "plugin_name"
  ;; @str $go_style "go_style"
  ;; @str $pwconf_fail_get_property "pwconf-fail: get_property status is not OK"
  ;; @str $pwconf_fail_proxy_on_memory "pwconf-fail: proxy_on_memory_allocate was not called once for 8 bytes"
  ;; @str $pwconf_fail_the_value_is_not "pwconf-fail: the value is not in the block proxy_on_memory_allocate gave"
  (func $check (param $ok i32) (param $msg i32) (param $len i32)
    (if (i32.eqz (local.get $ok))
      (then (drop (call $log (i32.const 5) (local.get $msg) (local.get $len))))))
  (func $read
    (local $before i32)
    (local.set $before (global.get $calls))
    (call $check (i32.eqz (call $get_property (global.get $plugin_name) (global.get $plugin_name_len) (i32.const 2048) (i32.const 2052)))
      (global.get $pwconf_fail_get_property) (global.get $pwconf_fail_get_property_len))
    (call $check (i32.and (i32.eq (global.get $calls) (i32.add (local.get $before) (i32.const 1)))
                          (i32.eq (global.get $last_size) (i32.const 8)))
      (global.get $pwconf_fail_proxy_on_memory) (global.get $pwconf_fail_proxy_on_memory_len))
    (call $check (i32.and (i32.eq (i32.load (i32.const 2052)) (i32.const 8))
                          (i64.eq (i64.load (i32.load (i32.const 2048))) (i64.load (global.get $go_style))))
      (global.get $pwconf_fail_the_value_is_not) (global.get $pwconf_fail_the_value_is_not_len)))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $read)
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $read)
    (i32.const 0)))
