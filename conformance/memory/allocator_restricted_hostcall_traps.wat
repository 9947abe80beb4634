(module
  ;; No `;; @include base`: the allocator calls a hostcall that is not allowed inside it.
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 16384))
  ;; @str $plugin_name "plugin_name"
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (drop (call $set_tick (i32.const 10)))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (i32.add (local.get $size) (i32.const 8))))
    (local.get $p))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (drop (call $get_property (global.get $plugin_name) (global.get $plugin_name_len) (i32.const 2048) (i32.const 2052)))
    (i32.const 0))
  (func (export "proxy_on_tick") (param i32))
  (func (export "proxy_on_log") (param i32)))
