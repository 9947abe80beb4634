(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  ;; @str $no_such_property "no_such_property"
  ;; @str $request_no_such_field "request\00no_such_field"
  ;; @str $wasm_not_set "wasm\00not\00set"
  ;; @str $request_path "request\00path"
  ;; @str $unknown_top_level_property "unknown top-level property"
  ;; @str $unknown_request_field "unknown request field"
  ;; @str $unknown_nested_path "unknown nested path"
  ;; @str $request_path_in_a_root "request.path in a root context"
  (func $unknown
    (call $check_eq (global.get $unknown_top_level_property) (global.get $unknown_top_level_property_len) (i32.const 1)
      (call $get_property (global.get $no_such_property) (global.get $no_such_property_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $unknown_request_field) (global.get $unknown_request_field_len) (i32.const 1)
      (call $get_property (global.get $request_no_such_field) (global.get $request_no_such_field_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $unknown_nested_path) (global.get $unknown_nested_path_len) (i32.const 1)
      (call $get_property (global.get $wasm_not_set) (global.get $wasm_not_set_len) (i32.const 2048) (i32.const 2052))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $unknown)
    (call $check_eq (global.get $request_path_in_a_root) (global.get $request_path_in_a_root_len) (i32.const 1)
      (call $get_property (global.get $request_path) (global.get $request_path_len) (i32.const 2048) (i32.const 2052)))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $unknown)
    (i32.const 0)))
