(module
;; @include base
  ;; vNEXT's placeholder names no released version
  (func (export "proxy_abi_version_0_x_x"))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1)))
