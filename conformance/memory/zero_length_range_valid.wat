(module
;; @include base
  (import "env" "proxy_set_property" (func $set_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  ;; @str $pwconf_empty_value "pwconf_empty_value"
  ;; @str $proxy_log_with_0_0 "proxy_log with (0, 0)"
  ;; @str $proxy_log_with_memory_size_0 "proxy_log with (memory size, 0)"
  ;; @str $proxy_set_property_with "proxy_set_property with value (0, 0)"
  ;; @str $proxy_get_property_of_the "proxy_get_property of the empty value"
  ;; @str $pointer_of_the_empty_value "pointer of the empty value"
  ;; @str $length_of_the_empty_value "length of the empty value"
  (func $empty_ranges
    (call $check_eq (global.get $proxy_log_with_0_0) (global.get $proxy_log_with_0_0_len) (i32.const 0)
      (call $pwconf_log (i32.const 2) (i32.const 0) (i32.const 0)))
    ;; 4 pages: an empty range that starts right at the end is still inside
    (call $check_eq (global.get $proxy_log_with_memory_size_0) (global.get $proxy_log_with_memory_size_0_len) (i32.const 0)
      (call $pwconf_log (i32.const 2) (i32.mul (memory.size) (i32.const 65536)) (i32.const 0))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $empty_ranges)
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $empty_ranges)
    (call $check_eq (global.get $proxy_set_property_with) (global.get $proxy_set_property_with_len) (i32.const 0)
      (call $set_property (global.get $pwconf_empty_value) (global.get $pwconf_empty_value_len) (i32.const 0) (i32.const 0)))
    (i32.store (i32.const 2048) (i32.const -1))
    (i32.store (i32.const 2052) (i32.const -1))
    (call $check_eq (global.get $proxy_get_property_of_the) (global.get $proxy_get_property_of_the_len) (i32.const 0)
      (call $get_property (global.get $pwconf_empty_value) (global.get $pwconf_empty_value_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $pointer_of_the_empty_value) (global.get $pointer_of_the_empty_value_len) (i32.const 0) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $length_of_the_empty_value) (global.get $length_of_the_empty_value_len) (i32.const 0) (i32.load (i32.const 2052)))
    (i32.const 0)))
