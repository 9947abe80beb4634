(module
;; @include base
  (func $spin (loop $l (br $l)))
  (start $spin)
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (i32.const 1)))
