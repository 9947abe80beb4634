(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_property" (func $set_property (param i32 i32 i32 i32) (result i32)))
  (global $first_stream (mut i32) (i32.const 0))
  ;; @str $pwconf_custom "pwconf_custom"
  ;; @str $stored_value "stored-value"
  ;; @str $replaced "replaced"
  ;; @str $set_property_status "set_property status"
  ;; @str $custom_property_read_back_in "custom property read back in the same callback"
  ;; @str $custom_property_in_a_later "custom property in a later callback of the stream"
  ;; @str $custom_property_after_it_was "custom property after it was set again"
  ;; @str $custom_property_in_another "custom property in another stream"
  (func $expect (param $value i32) (param $value_len i32) (param $what i32) (param $what_len i32)
    (call $check_eq (local.get $what) (local.get $what_len) (i32.const 0)
      (call $get_property (global.get $pwconf_custom) (global.get $pwconf_custom_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $value_len) (i32.load (i32.const 2052)))
    (call $check_bytes (local.get $what) (local.get $what_len)
      (i32.load (i32.const 2048)) (local.get $value) (local.get $value_len)))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.and (i32.ne (local.get $parent) (i32.const 0)) (i32.eqz (global.get $first_stream)))
      (then (global.set $first_stream (local.get $ctx)))))
  (func (export "proxy_on_request_body") (param $ctx i32) (param i32 i32) (result i32)
    (if (i32.eq (local.get $ctx) (global.get $first_stream))
      (then
        (call $check_eq (global.get $set_property_status) (global.get $set_property_status_len) (i32.const 0)
          (call $set_property (global.get $pwconf_custom) (global.get $pwconf_custom_len) (global.get $stored_value) (global.get $stored_value_len)))
        (call $expect (global.get $stored_value) (global.get $stored_value_len) (global.get $custom_property_read_back_in) (global.get $custom_property_read_back_in_len)))
      (else
        (call $check_eq (global.get $custom_property_in_another) (global.get $custom_property_in_another_len) (i32.const 1)
          (call $get_property (global.get $pwconf_custom) (global.get $pwconf_custom_len) (i32.const 2048) (i32.const 2052)))))
    (i32.const 0))
  (func (export "proxy_on_response_body") (param $ctx i32) (param i32 i32) (result i32)
    (if (i32.eq (local.get $ctx) (global.get $first_stream))
      (then
        (call $expect (global.get $stored_value) (global.get $stored_value_len) (global.get $custom_property_in_a_later) (global.get $custom_property_in_a_later_len))
        (call $check_eq (global.get $set_property_status) (global.get $set_property_status_len) (i32.const 0)
          (call $set_property (global.get $pwconf_custom) (global.get $pwconf_custom_len) (global.get $replaced) (global.get $replaced_len)))))
    (i32.const 0))
  (func (export "proxy_on_log") (param $ctx i32)
    (if (i32.eq (local.get $ctx) (global.get $first_stream))
      (then (call $expect (global.get $replaced) (global.get $replaced_len) (global.get $custom_property_after_it_was) (global.get $custom_property_after_it_was_len))))))
