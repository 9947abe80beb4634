(module
;; @include base
  ;; @str $created_context_n "created context N"
  ;; @str $end_callback_in_a_failed_vm "end callback in a failed VM"
  (func (export "proxy_on_context_create") (param $ctx i32) (param i32)
    (i32.store8 (i32.add (global.get $created_context_n) (i32.const 16)) (i32.add (i32.const 48) (local.get $ctx)))
    (drop (call $pwconf_log (i32.const 2) (global.get $created_context_n) (global.get $created_context_n_len))))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (unreachable))
  (func $ended
    (drop (call $pwconf_log (i32.const 2) (global.get $end_callback_in_a_failed_vm) (global.get $end_callback_in_a_failed_vm_len))))
  (func (export "proxy_on_log") (param i32) (call $ended))
  (func (export "proxy_on_done") (param i32) (result i32) (call $ended) (i32.const 1))
  (func (export "proxy_on_delete") (param i32) (call $ended))
  (func (export "proxy_on_tick") (param i32) (call $ended)))
