(module
;; @include base
  ;; the two-parameter form is ABI 0.1.0's; a 0.2.x module must use three
  (func (export "proxy_on_response_headers") (param i32 i32) (result i32)
    (i32.const 0))
  (func (export "proxy_on_context_create") (param i32 i32)))
