(module
;; @include base
  ;; vm configuration "trap" (4 bytes) makes this VM trap; "ok" (2 bytes) keeps it healthy
  (global $traps (mut i32) (i32.const 0))
  ;; @str $healthy_body_of_context_n "healthy body of context N"
  ;; @str $healthy_on_log_of_context_n "healthy on_log of context N"
  (func (export "proxy_on_vm_start") (param i32) (param $size i32) (result i32)
    (global.set $traps (i32.eq (local.get $size) (i32.const 4)))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param $ctx i32) (param i32 i32) (result i32)
    (if (global.get $traps) (then (unreachable)))
    (i32.store8 (i32.add (global.get $healthy_body_of_context_n) (i32.const 24)) (i32.add (i32.const 48) (local.get $ctx)))
    (drop (call $pwconf_log (i32.const 2) (global.get $healthy_body_of_context_n) (global.get $healthy_body_of_context_n_len)))
    (i32.const 0))
  (func (export "proxy_on_log") (param $ctx i32)
    (i32.store8 (i32.add (global.get $healthy_on_log_of_context_n) (i32.const 26)) (i32.add (i32.const 48) (local.get $ctx)))
    (drop (call $pwconf_log (i32.const 2) (global.get $healthy_on_log_of_context_n) (global.get $healthy_on_log_of_context_n_len)))))
