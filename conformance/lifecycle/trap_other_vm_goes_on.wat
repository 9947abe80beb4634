(module
;; @include base
  ;; vm configuration "trap" (4 bytes) makes this VM trap; "ok" (2 bytes) keeps it healthy
  (global $traps (mut i32) (i32.const 0))
  (data (i32.const 16) "healthy body of context N")
  (data (i32.const 48) "healthy on_log of context N")
  (func (export "proxy_on_vm_start") (param i32) (param $size i32) (result i32)
    (global.set $traps (i32.eq (local.get $size) (i32.const 4)))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param $ctx i32) (param i32 i32) (result i32)
    (if (global.get $traps) (then (unreachable)))
    (i32.store8 (i32.const 40) (i32.add (i32.const 48) (local.get $ctx)))
    (drop (call $pwconf_log (i32.const 2) (i32.const 16) (i32.const 25)))
    (i32.const 0))
  (func (export "proxy_on_log") (param $ctx i32)
    (i32.store8 (i32.const 74) (i32.add (i32.const 48) (local.get $ctx)))
    (drop (call $pwconf_log (i32.const 2) (i32.const 48) (i32.const 27)))))
