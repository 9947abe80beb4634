(module
;; @include base
  ;; proxy_on_vm_start must be (i32, i32) -> i32 under every version
  (func (export "proxy_on_vm_start") (param i32 i32))
  (func (export "proxy_on_context_create") (param i32 i32)))
