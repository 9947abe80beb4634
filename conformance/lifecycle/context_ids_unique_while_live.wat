(module
;; @include base
  ;; live context ids: 16 slots at 2048
  (global $root (mut i32) (i32.const 0))
  (global $first_stream (mut i32) (i32.const 0))
  ;; @str $context_id_0_handed_out "context id 0 handed out"
  ;; @str $context_id_handed_out_while "context id handed out while another context holds it"
  ;; @str $callback_for_a_context_that "callback for a context that is not live"
  ;; @str $parent_of_a_stream_is_the "parent of a stream is the live root"
  ;; @str $on_delete_for_a_context_that "on_delete for a context that is not live"
  (func $find (param $id i32) (result i32)
    (local $i i32)
    (block $none
      (loop $next
        (br_if $none (i32.ge_u (local.get $i) (i32.const 64)))
        (if (i32.eq (i32.load (i32.add (i32.const 2048) (local.get $i))) (local.get $id))
          (then (return (i32.add (i32.const 2048) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (i32.const 0))
  (func $live_add (param $id i32)
    (call $check_eq (global.get $context_id_0_handed_out) (global.get $context_id_0_handed_out_len) (i32.const 1) (i32.ne (local.get $id) (i32.const 0)))
    (call $check_eq (global.get $context_id_handed_out_while) (global.get $context_id_handed_out_while_len) (i32.const 0) (i32.ne (call $find (local.get $id)) (i32.const 0)))
    (i32.store (call $find (i32.const 0)) (local.get $id)))
  (func $live_check (param $id i32)
    (call $check_eq (global.get $callback_for_a_context_that) (global.get $callback_for_a_context_that_len) (local.get $id)
      (select (local.get $id) (i32.const -1) (i32.ne (call $find (local.get $id)) (i32.const 0)))))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (local.get $parent)
      (then
        (call $check_eq (global.get $parent_of_a_stream_is_the) (global.get $parent_of_a_stream_is_the_len) (global.get $root) (local.get $parent))
        (call $live_check (local.get $parent))
        (if (i32.eqz (global.get $first_stream)) (then (global.set $first_stream (local.get $ctx)))))
      (else (global.set $root (local.get $ctx))))
    (call $live_add (local.get $ctx)))
  (func (export "proxy_on_vm_start") (param $ctx i32) (param i32) (result i32)
    (call $live_check (local.get $ctx))
    (i32.const 1))
  (func (export "proxy_on_configure") (param $ctx i32) (param i32) (result i32)
    (call $live_check (local.get $ctx))
    (i32.const 1))
  ;; the first stream pauses for good and stays alive until the end
  (func (export "proxy_on_request_body") (param $ctx i32) (param i32 i32) (result i32)
    (call $live_check (local.get $ctx))
    (i32.eq (local.get $ctx) (global.get $first_stream)))
  (func (export "proxy_on_response_body") (param $ctx i32) (param i32 i32) (result i32)
    (call $live_check (local.get $ctx))
    (i32.const 0))
  (func (export "proxy_on_tick") (param $ctx i32)
    (call $live_check (local.get $ctx)))
  (func (export "proxy_on_log") (param $ctx i32)
    (call $live_check (local.get $ctx)))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (call $live_check (local.get $ctx))
    (i32.const 1))
  (func (export "proxy_on_delete") (param $ctx i32)
    (local $slot i32)
    (local.set $slot (call $find (local.get $ctx)))
    (call $check_eq (global.get $on_delete_for_a_context_that) (global.get $on_delete_for_a_context_that_len) (local.get $ctx)
      (select (local.get $ctx) (i32.const -1) (i32.ne (local.get $slot) (i32.const 0))))
    (if (local.get $slot) (then (i32.store (local.get $slot) (i32.const 0))))))
