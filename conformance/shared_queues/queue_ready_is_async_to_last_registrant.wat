(module
;; @include base
  (import "env" "proxy_register_shared_queue" (func $register (param i32 i32 i32) (result i32)))
  (import "env" "proxy_resolve_shared_queue" (func $resolve (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_enqueue_shared_queue" (func $enqueue (param i32 i32 i32) (result i32)))
  (import "env" "proxy_dequeue_shared_queue" (func $dequeue (param i32 i32 i32) (result i32)))
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick_period (param i32) (result i32)))
  ;; @str $events "events"
  ;; @str $enqueue_2 "enqueue"
  ;; @str $item "item"
  ;; @str $notified_outside_the_enqueue "notified outside the enqueue"
  ;; @str $notified_root_is_the_last "notified root is the last registrant"
  ;; @str $notified_queue_id "notified queue id"
  ;; @str $dequeue_in_on_queue_ready "dequeue in on_queue_ready"
  ;; @str $dequeued_item "dequeued item"
  ;; @str $notifications "notifications"

  (global $queue (mut i32) (i32.const 0))
  (global $last_root (mut i32) (i32.const 0))
  (global $in_enqueue (mut i32) (i32.const 0))
  (global $ready (mut i32) (i32.const 0))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    ;; both plugins of this VM register the same queue: the last one gets the notifications
    (drop (call $register (global.get $events) (global.get $events_len) (i32.const 2048)))
    (global.set $queue (i32.load (i32.const 2048)))
    (global.set $last_root (local.get $root))
    (drop (call $tick_period (i32.const 10)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $root i32)
    (global.set $in_enqueue (i32.const 1))
    (call $check_eq (global.get $enqueue_2) (global.get $enqueue_2_len) (i32.const 0) (call $enqueue (global.get $queue) (global.get $item) (global.get $item_len)))
    (global.set $in_enqueue (i32.const 0))
    ;; one tick per root is enough
    (drop (call $tick_period (i32.const 0))))
  (func (export "proxy_on_queue_ready") (param $root i32) (param $q i32)
    (call $check_eq (global.get $notified_outside_the_enqueue) (global.get $notified_outside_the_enqueue_len) (i32.const 0) (global.get $in_enqueue))
    (call $check_eq (global.get $notified_root_is_the_last) (global.get $notified_root_is_the_last_len) (global.get $last_root) (local.get $root))
    (call $check_eq (global.get $notified_queue_id) (global.get $notified_queue_id_len) (global.get $queue) (local.get $q))
    (call $check_eq (global.get $dequeue_in_on_queue_ready) (global.get $dequeue_in_on_queue_ready_len) (i32.const 0) (call $dequeue (local.get $q) (i32.const 2056) (i32.const 2060)))
    (call $check_bytes (global.get $dequeued_item) (global.get $dequeued_item_len) (i32.load (i32.const 2056)) (global.get $item) (global.get $item_len))
    (global.set $ready (i32.add (global.get $ready) (i32.const 1))))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    ;; one notification per enqueue: two roots enqueued once each
    (if (i32.eq (local.get $ctx) (global.get $last_root))
      (then (call $check_eq (global.get $notifications) (global.get $notifications_len) (i32.const 2) (global.get $ready))))
    (i32.const 1))
)
