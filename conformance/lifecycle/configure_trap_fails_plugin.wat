(module
;; @include base
  (data (i32.const 16) "callback after the configure trap")
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (unreachable))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (local.get $parent)
      (then (call $check_eq (i32.const 16) (i32.const 33) (i32.const 0) (local.get $ctx)))))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (i32.const 0))
  (func (export "proxy_on_done") (param i32) (result i32)
    (i32.const 1)))
