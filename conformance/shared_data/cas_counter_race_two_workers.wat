(module
;; @include base
  (import "env" "proxy_get_shared_data" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_shared_data" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick_period (param i32) (result i32)))
  ;; @str $get_counter "get counter"
  ;; @str $counter "counter"
  ;; @str $set_answers_ok_or_cas "set answers OK or CAS_MISMATCH"
  ;; @str $increment_done "increment done"
  ;; @str $final_get "final get"
  ;; @str $counter_after_the_race "counter after the race"

  ;; increments the shared u32 "counter" by one with a compare-and-swap retry loop;
  ;; answers 0 when it gave up (a host that loses the CAS would loop forever otherwise)
  (func $increment (result i32)
    (local $tries i32) (local $status i32)
    (block $done
      (loop $retry
        (br_if $done (i32.ge_u (local.get $tries) (i32.const 100000)))
        (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
        (call $check_eq (global.get $get_counter) (global.get $get_counter_len) (i32.const 0) (call $get (global.get $counter) (global.get $counter_len) (i32.const 2056) (i32.const 2060) (i32.const 2064)))
        (i32.store (i32.const 2068) (i32.add (i32.load (i32.load (i32.const 2056))) (i32.const 1)))
        (local.set $status (call $set (global.get $counter) (global.get $counter_len) (i32.const 2068) (i32.const 4) (i32.load (i32.const 2064))))
        (if (i32.eqz (local.get $status)) (then (return (i32.const 1))))
        (call $check_eq (global.get $set_answers_ok_or_cas) (global.get $set_answers_ok_or_cas_len) (i32.const 8) (local.get $status))
        (br $retry)))
    (i32.const 0))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    ;; every worker writes 0 before any tick runs
    (i32.store (i32.const 2068) (i32.const 0))
    (drop (call $set (global.get $counter) (global.get $counter_len) (i32.const 2068) (i32.const 4) (i32.const 0)))
    (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (drop (call $tick_period (i32.const 1)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $root i32)
    (local $i i32)
    (loop $next
      (call $check_eq (global.get $increment_done) (global.get $increment_done_len) (i32.const 1) (call $increment))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 50))))
    ;; ten ticks per worker
    (if (i32.ge_u (global.get $ticks) (i32.const 9))
      (then (drop (call $tick_period (i32.const 0)))))
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1))))
  (global $ticks (mut i32) (i32.const 0))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $final_get) (global.get $final_get_len) (i32.const 0) (call $get (global.get $counter) (global.get $counter_len) (i32.const 2056) (i32.const 2060) (i32.const 2064)))
    ;; 2 workers x 10 ticks x 50 increments: no update lost
    (call $check_eq (global.get $counter_after_the_race) (global.get $counter_after_the_race_len) (i32.const 1000) (i32.load (i32.load (i32.const 2056))))
    (i32.const 0))
)
