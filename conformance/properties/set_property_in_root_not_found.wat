(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_property" (func $set_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  ;; @str $pwconf_custom "pwconf_custom"
  ;; @str $value "value"
  ;; @str $set_property_in_a_root "set_property in a root context"
  ;; @str $get_of_the_path_set_in_a "get of the path set in a root context"
  (func $in_root
    (call $check_eq (global.get $set_property_in_a_root) (global.get $set_property_in_a_root_len) (i32.const 1)
      (call $set_property (global.get $pwconf_custom) (global.get $pwconf_custom_len) (global.get $value) (global.get $value_len)))
    (call $check_eq (global.get $get_of_the_path_set_in_a) (global.get $get_of_the_path_set_in_a_len) (i32.const 1)
      (call $get_property (global.get $pwconf_custom) (global.get $pwconf_custom_len) (i32.const 2048) (i32.const 2052))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $in_root)
    (drop (call $set_tick (i32.const 10)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param i32)
    (call $in_root)
    (drop (call $set_tick (i32.const 0)))))
