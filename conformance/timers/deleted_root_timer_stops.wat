(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (global $first_root (mut i32) (i32.const 0))
  (global $second_root (mut i32) (i32.const 0))
  (global $first_deleted (mut i32) (i32.const 0))
  (global $first_ticks (mut i32) (i32.const 0))
  (global $second_ticks (mut i32) (i32.const 0))
  ;; @str $tick_for_a_root_after_its_on "tick for a root after its on_delete"
  ;; @str $ticks_of_the_first_root "ticks of the first root before its on_delete"
  ;; @str $ticks_of_the_replacing_root "ticks of the replacing root"
  ;; @str $set_tick_period_milliseconds "set_tick_period_milliseconds status"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent))
      (then
        (if (global.get $first_root)
          (then (global.set $second_root (local.get $ctx)))
          (else (global.set $first_root (local.get $ctx)))))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $check_eq (global.get $set_tick_period_milliseconds) (global.get $set_tick_period_milliseconds_len) (i32.const 0) (call $set_tick (i32.const 10)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $ctx i32)
    (if (i32.eq (local.get $ctx) (global.get $first_root))
      (then
        (call $check_eq (global.get $tick_for_a_root_after_its_on) (global.get $tick_for_a_root_after_its_on_len) (i32.const 0) (global.get $first_deleted))
        (global.set $first_ticks (i32.add (global.get $first_ticks) (i32.const 1))))
      (else (global.set $second_ticks (i32.add (global.get $second_ticks) (i32.const 1))))))
  (func (export "proxy_on_delete") (param $ctx i32)
    (if (i32.eq (local.get $ctx) (global.get $first_root))
      (then
        (call $check_eq (global.get $ticks_of_the_first_root) (global.get $ticks_of_the_first_root_len) (i32.const 2) (global.get $first_ticks))
        (global.set $first_deleted (i32.const 1)))
      (else (call $check_eq (global.get $ticks_of_the_replacing_root) (global.get $ticks_of_the_replacing_root_len) (i32.const 5) (global.get $second_ticks))))))
