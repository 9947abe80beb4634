(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  ;; @str $plugin_name "plugin_name"
  (func (export "_initialize")
    (drop (call $get_property (global.get $plugin_name) (global.get $plugin_name_len) (i32.const 2048) (i32.const 2052))))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (i32.const 0)))
