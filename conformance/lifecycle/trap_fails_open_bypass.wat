(module
;; @include base
  ;; @str $created_context_n "created context N"
  (func (export "proxy_on_context_create") (param $ctx i32) (param i32)
    (i32.store8 (i32.add (global.get $created_context_n) (i32.const 16)) (i32.add (i32.const 48) (local.get $ctx)))
    (drop (call $pwconf_log (i32.const 2) (global.get $created_context_n) (global.get $created_context_n_len))))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (unreachable))
  (func (export "proxy_on_response_body") (param i32 i32 i32) (result i32)
    (i32.const 1))
  (func (export "proxy_on_log") (param i32)))
