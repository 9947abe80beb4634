(module
;; @include base
  ;; @str $callback_after_the_configure "callback after the configure trap"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (unreachable))
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (local.get $parent)
      (then (call $check_eq (global.get $callback_after_the_configure) (global.get $callback_after_the_configure_len) (i32.const 0) (local.get $ctx)))))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (i32.const 0))
  (func (export "proxy_on_done") (param i32) (result i32)
    (i32.const 1)))
