(module
;; @include base
  (import "env" "proxy_done" (func $proxy_done (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $set_tick (param i32) (result i32)))
  (global $first_root (mut i32) (i32.const 0))
  (global $ticks (mut i32) (i32.const 0))
  (global $in_tick (mut i32) (i32.const 0))
  (global $deleted (mut i32) (i32.const 0))
  (data (i32.const 16) "set_tick_period status in on_done")
  (data (i32.const 64) "proxy_done status for the pending root")
  (data (i32.const 112) "on_delete of the pending root ran inside proxy_done")
  (data (i32.const 176) "ticks of the pending root before its on_delete")
  (data (i32.const 224) "tick for a root after its on_delete")
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.and (i32.eqz (local.get $parent)) (i32.eqz (global.get $first_root)))
      (then (global.set $first_root (local.get $ctx)))))
  ;; the first root defers its end and keeps ticking; later roots finish at once
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (if (i32.eq (local.get $ctx) (global.get $first_root))
      (then
        (call $check_eq (i32.const 16) (i32.const 33) (i32.const 0) (call $set_tick (i32.const 10)))
        (return (i32.const 0))))
    (i32.const 1))
  ;; keeps getting ticks while pending; calls proxy_done from its second one
  (func (export "proxy_on_tick") (param $ctx i32)
    (call $check_eq (i32.const 224) (i32.const 35) (i32.const 0)
      (i32.and (global.get $deleted) (i32.eq (local.get $ctx) (global.get $first_root))))
    (if (i32.eq (local.get $ctx) (global.get $first_root))
      (then
        (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
        (if (i32.eq (global.get $ticks) (i32.const 2))
          (then
            (global.set $in_tick (i32.const 1))
            (call $check_eq (i32.const 64) (i32.const 38) (i32.const 0) (call $proxy_done))
            (global.set $in_tick (i32.const 0)))))))
  (func (export "proxy_on_delete") (param $ctx i32)
    (if (i32.eq (local.get $ctx) (global.get $first_root))
      (then
        (call $check_eq (i32.const 112) (i32.const 51) (i32.const 0) (global.get $in_tick))
        (call $check_eq (i32.const 176) (i32.const 46) (i32.const 2) (global.get $ticks))
        (global.set $deleted (i32.const 1))))))
