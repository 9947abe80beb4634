(module
;; @include base
  (import "env" "proxy_register_shared_queue" (func $register (param i32 i32 i32) (result i32)))
  (import "env" "proxy_resolve_shared_queue" (func $resolve (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_enqueue_shared_queue" (func $enqueue (param i32 i32 i32) (result i32)))
  (import "env" "proxy_dequeue_shared_queue" (func $dequeue (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $buffer (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $register_q1 "register q1"
  ;; @str $q1_2 "q1"
  ;; @str $queue_id_is_not_0 "queue id is not 0"
  ;; @str $enqueue_before_re_register "enqueue before re-register"
  ;; @str $kept "kept"
  ;; @str $register_q1_again "register q1 again"
  ;; @str $same_id_on_re_register "same id on re-register"
  ;; @str $item_kept_across_re_register "item kept across re-register"
  ;; @str $kept_item_size "kept item size"
  ;; @str $kept_item "kept item"
  ;; @str $register_q2 "register q2"
  ;; @str $q2 "q2"
  ;; @str $another_name_another_id "another name, another id"
  ;; @str $resolve_with_empty_vm_id "resolve with empty vm_id"
  ;; @str $resolved_id_is_own "resolved id is own"
  ;; @str $resolve_unknown_name "resolve unknown name"
  ;; @str $nope "nope"
  ;; @str $resolve_in_an_unknown_vm_id "resolve in an unknown vm_id"
  ;; @str $vm_none "vm_none"
  ;; @str $register_with_a_wild_name "register with a wild name"
  ;; @str $resolve_with_a_wild_out "resolve with a wild out-pointer"
  ;; @str $b_2 "b"
  ;; @str $resolve_q1_of_vm_a "resolve q1 of vm_a"
  ;; @str $vm_a "vm_a"
  ;; @str $vm_a_s_q1_is_not_vm_b_s "vm_a's q1 is not vm_b's"
  ;; @str $vm_a_s_id_is_not_0 "vm_a's id is not 0"

  (global $q1 (mut i32) (i32.const 0))
  (func $plugin_is (param $ptr i32) (param $len i32) (param $size i32) (result i32)
    (drop (call $buffer (i32.const 7) (i32.const 0) (local.get $size) (i32.const 2056) (i32.const 2060)))
    (if (result i32) (i32.ne (i32.load (i32.const 2060)) (local.get $len))
      (then (i32.const 0))
      (else (i32.eqz (call $memcmp (i32.load (i32.const 2056)) (local.get $ptr) (local.get $len))))))
  (func $memcmp (param $a i32) (param $b i32) (param $n i32) (result i32)
    (block $diff
      (loop $next
        (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
        (br_if $diff (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    (local $own i32)
    (call $check_eq (global.get $register_q1) (global.get $register_q1_len) (i32.const 0) (call $register (global.get $q1_2) (global.get $q1_2_len) (i32.const 2048)))
    (local.set $own (i32.load (i32.const 2048)))
    (call $check_eq (global.get $queue_id_is_not_0) (global.get $queue_id_is_not_0_len) (i32.const 1) (i32.ne (local.get $own) (i32.const 0)))
    (call $check_eq (global.get $enqueue_before_re_register) (global.get $enqueue_before_re_register_len) (i32.const 0) (call $enqueue (local.get $own) (global.get $kept) (global.get $kept_len)))
    (call $check_eq (global.get $register_q1_again) (global.get $register_q1_again_len) (i32.const 0) (call $register (global.get $q1_2) (global.get $q1_2_len) (i32.const 2052)))
    (call $check_eq (global.get $same_id_on_re_register) (global.get $same_id_on_re_register_len) (local.get $own) (i32.load (i32.const 2052)))
    (call $check_eq (global.get $item_kept_across_re_register) (global.get $item_kept_across_re_register_len) (i32.const 0) (call $dequeue (local.get $own) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $kept_item_size) (global.get $kept_item_size_len) (i32.const 4) (i32.load (i32.const 2060)))
    (call $check_bytes (global.get $kept_item) (global.get $kept_item_len) (i32.load (i32.const 2056)) (global.get $kept) (global.get $kept_len))
    (call $check_eq (global.get $register_q2) (global.get $register_q2_len) (i32.const 0) (call $register (global.get $q2) (global.get $q2_len) (i32.const 2052)))
    (call $check_eq (global.get $another_name_another_id) (global.get $another_name_another_id_len) (i32.const 1) (i32.ne (local.get $own) (i32.load (i32.const 2052))))
    (call $check_eq (global.get $resolve_with_empty_vm_id) (global.get $resolve_with_empty_vm_id_len) (i32.const 0) (call $resolve (i32.const 0) (i32.const 0) (global.get $q1_2) (global.get $q1_2_len) (i32.const 2052)))
    (call $check_eq (global.get $resolved_id_is_own) (global.get $resolved_id_is_own_len) (local.get $own) (i32.load (i32.const 2052)))
    (call $check_eq (global.get $resolve_unknown_name) (global.get $resolve_unknown_name_len) (i32.const 1) (call $resolve (i32.const 0) (i32.const 0) (global.get $nope) (global.get $nope_len) (i32.const 2052)))
    (call $check_eq (global.get $resolve_in_an_unknown_vm_id) (global.get $resolve_in_an_unknown_vm_id_len) (i32.const 1) (call $resolve (global.get $vm_none) (global.get $vm_none_len) (global.get $q1_2) (global.get $q1_2_len) (i32.const 2052)))
    (call $check_eq (global.get $register_with_a_wild_name) (global.get $register_with_a_wild_name_len) (i32.const 6) (call $register (i32.const 0x7ffffff0) (i32.const 64) (i32.const 2052)))
    (call $check_eq (global.get $resolve_with_a_wild_out) (global.get $resolve_with_a_wild_out_len) (i32.const 6) (call $resolve (i32.const 0) (i32.const 0) (global.get $q1_2) (global.get $q1_2_len) (i32.const 0x7ffffffe)))
    ;; plugin "b" (vm_id vm_b) finds plugin "a"'s queue of vm_id vm_a: a different, global id
    (if (call $plugin_is (global.get $b_2) (global.get $b_2_len) (local.get $size))
      (then
        (call $check_eq (global.get $resolve_q1_of_vm_a) (global.get $resolve_q1_of_vm_a_len) (i32.const 0) (call $resolve (global.get $vm_a) (global.get $vm_a_len) (global.get $q1_2) (global.get $q1_2_len) (i32.const 2052)))
        (call $check_eq (global.get $vm_a_s_q1_is_not_vm_b_s) (global.get $vm_a_s_q1_is_not_vm_b_s_len) (i32.const 1) (i32.ne (local.get $own) (i32.load (i32.const 2052))))
        (call $check_eq (global.get $vm_a_s_id_is_not_0) (global.get $vm_a_s_id_is_not_0_len) (i32.const 1) (i32.ne (i32.const 0) (i32.load (i32.const 2052))))))
    (i32.const 1))
)
