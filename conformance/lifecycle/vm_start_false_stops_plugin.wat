(module
;; @include base
  ;; @str $proxy_on_configure_after_vm "proxy_on_configure after vm_start returned false"
  ;; @str $stream_context_of_a_plugin "stream context of a plugin whose vm_start returned false"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (local.get $parent)
      (then (call $check_eq (global.get $stream_context_of_a_plugin) (global.get $stream_context_of_a_plugin_len) (i32.const 0) (local.get $ctx)))))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (i32.const 0))
  (func (export "proxy_on_configure") (param $root i32) (param i32) (result i32)
    (call $check_eq (global.get $proxy_on_configure_after_vm) (global.get $proxy_on_configure_after_vm_len) (i32.const 0) (local.get $root))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (i32.const 0)))
