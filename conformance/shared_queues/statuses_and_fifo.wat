(module
;; @include base
  (import "env" "proxy_register_shared_queue" (func $register (param i32 i32 i32) (result i32)))
  (import "env" "proxy_resolve_shared_queue" (func $resolve (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_enqueue_shared_queue" (func $enqueue (param i32 i32 i32) (result i32)))
  (import "env" "proxy_dequeue_shared_queue" (func $dequeue (param i32 i32 i32) (result i32)))

  ;; @str $enqueue_on_an_unknown_id "enqueue on an unknown id"
  ;; @str $x "x"
  ;; @str $dequeue_on_an_unknown_id "dequeue on an unknown id"
  ;; @str $dequeue_on_id_0 "dequeue on id 0"
  ;; @str $fifo "fifo"
  ;; @str $dequeue_on_an_empty_queue "dequeue on an empty queue"
  ;; @str $enqueue_with_a_wild_value "enqueue with a wild value"
  ;; @str $enqueue_first "enqueue first"
  ;; @str $first "first"
  ;; @str $enqueue_empty_item "enqueue empty item"
  ;; @str $enqueue_third "enqueue third"
  ;; @str $third "third"
  ;; @str $dequeue_1 "dequeue 1"
  ;; @str $item_1 "item 1"
  ;; @str $dequeue_2 "dequeue 2"
  ;; @str $item_2_is_empty "item 2 is empty"
  ;; @str $dequeue_3 "dequeue 3"
  ;; @str $item_3 "item 3"
  ;; @str $dequeue_4_is_empty "dequeue 4 is empty"

  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    (local $q i32)
    (call $check_eq (global.get $enqueue_on_an_unknown_id) (global.get $enqueue_on_an_unknown_id_len) (i32.const 1) (call $enqueue (i32.const 9999) (global.get $x) (global.get $x_len)))
    (call $check_eq (global.get $dequeue_on_an_unknown_id) (global.get $dequeue_on_an_unknown_id_len) (i32.const 1) (call $dequeue (i32.const 9999) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $dequeue_on_id_0) (global.get $dequeue_on_id_0_len) (i32.const 1) (call $dequeue (i32.const 0) (i32.const 2056) (i32.const 2060)))
    (drop (call $register (global.get $fifo) (global.get $fifo_len) (i32.const 2048)))
    (local.set $q (i32.load (i32.const 2048)))
    (call $check_eq (global.get $dequeue_on_an_empty_queue) (global.get $dequeue_on_an_empty_queue_len) (i32.const 7) (call $dequeue (local.get $q) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $enqueue_with_a_wild_value) (global.get $enqueue_with_a_wild_value_len) (i32.const 6) (call $enqueue (local.get $q) (i32.const 0x7ffffff0) (i32.const 64)))
    (call $check_eq (global.get $enqueue_first) (global.get $enqueue_first_len) (i32.const 0) (call $enqueue (local.get $q) (global.get $first) (global.get $first_len)))
    (call $check_eq (global.get $enqueue_empty_item) (global.get $enqueue_empty_item_len) (i32.const 0) (call $enqueue (local.get $q) (i32.const 0) (i32.const 0)))
    (call $check_eq (global.get $enqueue_third) (global.get $enqueue_third_len) (i32.const 0) (call $enqueue (local.get $q) (global.get $third) (global.get $third_len)))
    (call $check_eq (global.get $dequeue_1) (global.get $dequeue_1_len) (i32.const 0) (call $dequeue (local.get $q) (i32.const 2056) (i32.const 2060)))
    (call $check_bytes (global.get $item_1) (global.get $item_1_len) (i32.load (i32.const 2056)) (global.get $first) (global.get $first_len))
    (call $check_eq (global.get $dequeue_2) (global.get $dequeue_2_len) (i32.const 0) (call $dequeue (local.get $q) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $item_2_is_empty) (global.get $item_2_is_empty_len) (i32.const 0) (i32.load (i32.const 2060)))
    (call $check_eq (global.get $dequeue_3) (global.get $dequeue_3_len) (i32.const 0) (call $dequeue (local.get $q) (i32.const 2056) (i32.const 2060)))
    (call $check_bytes (global.get $item_3) (global.get $item_3_len) (i32.load (i32.const 2056)) (global.get $third) (global.get $third_len))
    (call $check_eq (global.get $dequeue_4_is_empty) (global.get $dequeue_4_is_empty_len) (i32.const 7) (call $dequeue (local.get $q) (i32.const 2056) (i32.const 2060)))
    (i32.const 1))
)
