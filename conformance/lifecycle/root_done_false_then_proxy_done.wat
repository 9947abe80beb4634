(module
;; @include base
  (import "env" "proxy_done" (func $proxy_done (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (global $first_root (mut i32) (i32.const 0))
  (global $ticks (mut i32) (i32.const 0))
  (global $in_tick (mut i32) (i32.const 0))
  (global $deleted (mut i32) (i32.const 0))
  ;; @str $set_tick_period_status_in_on "set_tick_period status in on_done"
  ;; @str $proxy_done_status_for_the "proxy_done status for the pending root"
  ;; @str $on_delete_of_the_pending "on_delete of the pending root ran inside proxy_done"
  ;; @str $ticks_of_the_pending_root "ticks of the pending root before its on_delete"
  ;; @str $tick_for_a_root_after_its_on "tick for a root after its on_delete"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.and (i32.eqz (local.get $parent)) (i32.eqz (global.get $first_root)))
      (then (global.set $first_root (local.get $ctx)))))
  ;; the first root defers its end and keeps ticking; later roots finish at once
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (if (i32.eq (local.get $ctx) (global.get $first_root))
      (then
        (call $check_eq (global.get $set_tick_period_status_in_on) (global.get $set_tick_period_status_in_on_len) (i32.const 0) (call $set_tick (i32.const 10)))
        (return (i32.const 0))))
    (i32.const 1))
  ;; keeps getting ticks while pending; calls proxy_done from its second one
  (func (export "proxy_on_tick") (param $ctx i32)
    (call $check_eq (global.get $tick_for_a_root_after_its_on) (global.get $tick_for_a_root_after_its_on_len) (i32.const 0)
      (i32.and (global.get $deleted) (i32.eq (local.get $ctx) (global.get $first_root))))
    (if (i32.eq (local.get $ctx) (global.get $first_root))
      (then
        (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
        (if (i32.eq (global.get $ticks) (i32.const 2))
          (then
            (global.set $in_tick (i32.const 1))
            (call $check_eq (global.get $proxy_done_status_for_the) (global.get $proxy_done_status_for_the_len) (i32.const 0) (call $proxy_done))
            (global.set $in_tick (i32.const 0)))))))
  (func (export "proxy_on_delete") (param $ctx i32)
    (if (i32.eq (local.get $ctx) (global.get $first_root))
      (then
        (call $check_eq (global.get $on_delete_of_the_pending) (global.get $on_delete_of_the_pending_len) (i32.const 0) (global.get $in_tick))
        (call $check_eq (global.get $ticks_of_the_pending_root) (global.get $ticks_of_the_pending_root_len) (i32.const 2) (global.get $ticks))
        (global.set $deleted (i32.const 1))))))
