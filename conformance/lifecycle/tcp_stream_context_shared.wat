(module
;; @include base
  (global $root (mut i32) (i32.const 0))
  (global $stream (mut i32) (i32.const 0))
  (global $stage (mut i32) (i32.const 0))
  ;; @str $parent_of_the_connection "parent of the connection context"
  ;; @str $new_connection_context "new_connection context"
  ;; @str $downstream_data_context "downstream data context"
  ;; @str $upstream_data_context "upstream data context"
  ;; @str $downstream_close_context "downstream close context"
  ;; @str $upstream_close_context "upstream close context"
  ;; @str $end_callback_context "end callback context"
  ;; @str $stage_at_a_data_or_close "stage at a data or close callback"
  ;; @str $stage_at_on_done "stage at on_done"
  ;; @str $stage_at_on_log "stage at on_log"
  ;; @str $stage_at_on_delete "stage at on_delete"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (local.get $parent)
      (then
        (call $check_eq (global.get $parent_of_the_connection) (global.get $parent_of_the_connection_len) (global.get $root) (local.get $parent))
        (global.set $stream (local.get $ctx)))
      (else (global.set $root (local.get $ctx)))))
  (func $open (param $ctx i32) (param $what i32) (param $len i32)
    (call $check_eq (local.get $what) (local.get $len) (global.get $stream) (local.get $ctx))
    (call $check_eq (global.get $stage_at_a_data_or_close) (global.get $stage_at_a_data_or_close_len) (i32.const 0) (global.get $stage)))
  (func (export "proxy_on_new_connection") (param $ctx i32) (result i32)
    (call $open (local.get $ctx) (global.get $new_connection_context) (global.get $new_connection_context_len))
    (i32.const 0))
  (func (export "proxy_on_downstream_data") (param $ctx i32) (param i32 i32) (result i32)
    (call $open (local.get $ctx) (global.get $downstream_data_context) (global.get $downstream_data_context_len))
    (i32.const 0))
  (func (export "proxy_on_upstream_data") (param $ctx i32) (param i32 i32) (result i32)
    (call $open (local.get $ctx) (global.get $upstream_data_context) (global.get $upstream_data_context_len))
    (i32.const 0))
  (func (export "proxy_on_downstream_connection_close") (param $ctx i32) (param i32)
    (call $open (local.get $ctx) (global.get $downstream_close_context) (global.get $downstream_close_context_len)))
  (func (export "proxy_on_upstream_connection_close") (param $ctx i32) (param i32)
    (call $open (local.get $ctx) (global.get $upstream_close_context) (global.get $upstream_close_context_len)))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (if (i32.ne (local.get $ctx) (global.get $root))
      (then
        (call $check_eq (global.get $end_callback_context) (global.get $end_callback_context_len) (global.get $stream) (local.get $ctx))
        (call $check_eq (global.get $stage_at_on_done) (global.get $stage_at_on_done_len) (i32.const 0) (global.get $stage))
        (global.set $stage (i32.const 1))))
    (i32.const 1))
  (func (export "proxy_on_log") (param $ctx i32)
    (call $check_eq (global.get $end_callback_context) (global.get $end_callback_context_len) (global.get $stream) (local.get $ctx))
    (call $check_eq (global.get $stage_at_on_log) (global.get $stage_at_on_log_len) (i32.const 1) (global.get $stage))
    (global.set $stage (i32.const 2)))
  (func (export "proxy_on_delete") (param $ctx i32)
    (if (i32.ne (local.get $ctx) (global.get $root))
      (then
        (call $check_eq (global.get $end_callback_context) (global.get $end_callback_context_len) (global.get $stream) (local.get $ctx))
        (call $check_eq (global.get $stage_at_on_delete) (global.get $stage_at_on_delete_len) (i32.const 2) (global.get $stage))
        (global.set $stage (i32.const 3))))))
