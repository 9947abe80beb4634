(module
;; @include base
  (global $root (mut i32) (i32.const -1))
  (data (i32.const 16) "vm_start root id")
  (data (i32.const 48) "configure root id")
  (data (i32.const 80) "context_create parent of a root")
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eq (global.get $root) (i32.const -1))
      (then
        (call $check_eq (i32.const 80) (i32.const 31) (i32.const 0) (local.get $parent))
        (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (i32.const 16) (i32.const 16) (global.get $root) (local.get $root))
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (i32.const 48) (i32.const 17) (global.get $root) (local.get $root))
    (i32.const 1)))
