(module
;; @include base
  ;; the three-parameter form belongs to ABI 0.2.x; a 0.1.0 module must use two
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (i32.const 0))
  (func (export "proxy_on_context_create") (param i32 i32)))
