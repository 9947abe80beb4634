(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  ;; @str $request_path "request\00path\00"
  ;; @str $plugin_name "plugin_name\00"
  ;; @str $with_nul "/with/nul"
  ;; @str $trailing_nul "trailing_nul"
  ;; @str $request_path_with_a_trailing "request.path with a trailing NUL"
  ;; @str $plugin_name_with_a_trailing "plugin_name with a trailing NUL"
  (func $expect (param $path i32) (param $path_len i32) (param $value i32) (param $value_len i32)
                (param $what i32) (param $what_len i32)
    (local $status i32)
    (local.set $status
      (call $get_property (local.get $path) (local.get $path_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (i32.const 0) (local.get $status))
    (if (local.get $status) (then (return)))
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $value_len) (i32.load (i32.const 2052)))
    (call $check_bytes (local.get $what) (local.get $what_len)
      (i32.load (i32.const 2048)) (local.get $value) (local.get $value_len)))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $expect (global.get $plugin_name) (global.get $plugin_name_len) (global.get $trailing_nul) (global.get $trailing_nul_len) (global.get $plugin_name_with_a_trailing) (global.get $plugin_name_with_a_trailing_len))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $expect (global.get $request_path) (global.get $request_path_len) (global.get $with_nul) (global.get $with_nul_len) (global.get $request_path_with_a_trailing) (global.get $request_path_with_a_trailing_len))
    (call $expect (global.get $plugin_name) (global.get $plugin_name_len) (global.get $trailing_nul) (global.get $trailing_nul_len) (global.get $plugin_name_with_a_trailing) (global.get $plugin_name_with_a_trailing_len))
    (i32.const 0)))
