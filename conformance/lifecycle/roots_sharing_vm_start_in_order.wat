(module
;; @include base
  ;; $stage: 0 = no root being started, 1 = created, 2 = vm started
  (global $stage (mut i32) (i32.const 0))
  (global $root (mut i32) (i32.const 0))
  (global $configured (mut i32) (i32.const 0))
  ;; @str $stage_at_a_root_s_context "stage at a root's context_create"
  ;; @str $root_id_is_non_zero "root id is non-zero"
  ;; @str $stage_at_on_vm_start "stage at on_vm_start"
  ;; @str $on_vm_start_root_id "on_vm_start root id"
  ;; @str $stage_at_on_configure "stage at on_configure"
  ;; @str $on_configure_root_id "on_configure root id"
  ;; @str $roots_configured_before_the "roots configured before the first stream"
  ;; @str $second_root_id_differs_from "second root id differs from the first"
  (global $first (mut i32) (i32.const 0))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent))
      (then
        (call $check_eq (global.get $stage_at_a_root_s_context) (global.get $stage_at_a_root_s_context_len) (i32.const 0) (global.get $stage))
        (call $check_eq (global.get $root_id_is_non_zero) (global.get $root_id_is_non_zero_len) (i32.const 1) (i32.ne (local.get $ctx) (i32.const 0)))
        (if (global.get $first)
          (then (call $check_eq (global.get $second_root_id_differs_from) (global.get $second_root_id_differs_from_len) (i32.const 1)
            (i32.ne (local.get $ctx) (global.get $first))))
          (else (global.set $first (local.get $ctx))))
        (global.set $root (local.get $ctx))
        (global.set $stage (i32.const 1)))
      (else
        (call $check_eq (global.get $roots_configured_before_the) (global.get $roots_configured_before_the_len) (i32.const 2) (global.get $configured)))))
  (func (export "proxy_on_vm_start") (param $root i32) (param i32) (result i32)
    (call $check_eq (global.get $stage_at_on_vm_start) (global.get $stage_at_on_vm_start_len) (i32.const 1) (global.get $stage))
    (call $check_eq (global.get $on_vm_start_root_id) (global.get $on_vm_start_root_id_len) (global.get $root) (local.get $root))
    (global.set $stage (i32.const 2))
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root i32) (param i32) (result i32)
    (call $check_eq (global.get $stage_at_on_configure) (global.get $stage_at_on_configure_len) (i32.const 2) (global.get $stage))
    (call $check_eq (global.get $on_configure_root_id) (global.get $on_configure_root_id_len) (global.get $root) (local.get $root))
    (global.set $stage (i32.const 0))
    (global.set $configured (i32.add (global.get $configured) (i32.const 1)))
    (i32.const 1)))
