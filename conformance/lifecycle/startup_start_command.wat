(module
;; @include base
  (global $start (mut i32) (i32.const 0))
  (data (i32.const 16) "_start calls before the first callback")
  (func (export "_start")
    (global.set $start (i32.add (global.get $start) (i32.const 1))))
  (func (export "proxy_on_context_create") (param i32 i32)
    (call $check_eq (i32.const 16) (i32.const 38) (i32.const 1) (global.get $start)))
  (func (export "proxy_on_done") (param i32) (result i32)
    (call $check_eq (i32.const 16) (i32.const 38) (i32.const 1) (global.get $start))
    (i32.const 1)))
