(module
;; @include base
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick_period (param i32) (result i32)))
  ;; @str $first_period "first period"
  ;; @str $second_period "second period"
  ;; @str $tick_goes_to_a_root "tick goes to a root"
  ;; @str $ticks_of_the_10_ms_root_in "ticks of the 10 ms root in 50 ms"
  ;; @str $ticks_of_the_25_ms_root_in "ticks of the 25 ms root in 50 ms"

  (global $configured (mut i32) (i32.const 0))
  (global $first (mut i32) (i32.const 0))
  (global $second (mut i32) (i32.const 0))
  (global $first_ticks (mut i32) (i32.const 0))
  (global $second_ticks (mut i32) (i32.const 0))
  (func (export "proxy_on_configure") (param $root i32) (param i32) (result i32)
    (if (i32.eqz (global.get $configured))
      (then
        (global.set $first (local.get $root))
        (call $check_eq (global.get $first_period) (global.get $first_period_len) (i32.const 0) (call $tick_period (i32.const 10))))
      (else
        (global.set $second (local.get $root))
        (call $check_eq (global.get $second_period) (global.get $second_period_len) (i32.const 0) (call $tick_period (i32.const 25)))))
    (global.set $configured (i32.add (global.get $configured) (i32.const 1)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $root i32)
    (if (i32.eq (local.get $root) (global.get $first))
      (then (global.set $first_ticks (i32.add (global.get $first_ticks) (i32.const 1))))
      (else
        (call $check_eq (global.get $tick_goes_to_a_root) (global.get $tick_goes_to_a_root_len) (global.get $second) (local.get $root))
        (global.set $second_ticks (i32.add (global.get $second_ticks) (i32.const 1))))))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (if (i32.eq (local.get $ctx) (global.get $first))
      (then (call $check_eq (global.get $ticks_of_the_10_ms_root_in) (global.get $ticks_of_the_10_ms_root_in_len) (i32.const 5) (global.get $first_ticks))))
    (if (i32.eq (local.get $ctx) (global.get $second))
      (then (call $check_eq (global.get $ticks_of_the_25_ms_root_in) (global.get $ticks_of_the_25_ms_root_in_len) (i32.const 2) (global.get $second_ticks))))
    (i32.const 1))
)
