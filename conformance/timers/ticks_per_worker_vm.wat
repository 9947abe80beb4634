(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (global $root (mut i32) (i32.const 0))
  (global $ticks (mut i32) (i32.const 0))
  ;; @str $set_tick_period_milliseconds "set_tick_period_milliseconds status"
  ;; @str $ticks_of_this_vm_s_root_in "ticks of this VM's root in 250 ms"
  ;; @str $on_tick_context_is_this_vm_s "on_tick context is this VM's root"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $set_tick (i32.const 100)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $ctx i32)
    (call $check_eq (global.get $on_tick_context_is_this_vm_s) (global.get $on_tick_context_is_this_vm_s_len) (global.get $root) (local.get $ctx))
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1))))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (if (i32.eq (local.get $ctx) (global.get $root))
      (then (call $check_eq (global.get $ticks_of_this_vm_s_root_in) (global.get $ticks_of_this_vm_s_root_in_len) (i32.const 2) (global.get $ticks))))
    (i32.const 1)))
