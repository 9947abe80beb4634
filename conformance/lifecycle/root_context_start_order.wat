(module
;; @include base
  (global $root (mut i32) (i32.const -1))
  ;; @str $vm_start_root_id "vm_start root id"
  ;; @str $configure_root_id "configure root id"
  ;; @str $context_create_parent_of_a "context_create parent of a root"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eq (global.get $root) (i32.const -1))
      (then
        (call $check_eq (global.get $context_create_parent_of_a) (global.get $context_create_parent_of_a_len) (i32.const 0) (local.get $parent))
        (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (global.get $vm_start_root_id) (global.get $vm_start_root_id_len) (global.get $root) (local.get $root))
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    (call $check_eq (global.get $configure_root_id) (global.get $configure_root_id_len) (global.get $root) (local.get $root))
    (i32.const 1)))
