(module
;; @include base
  (global $start (mut i32) (i32.const 0))
  ;; @str $start_calls_before_the_first "_start calls before the first callback"
  (func (export "_start")
    (global.set $start (i32.add (global.get $start) (i32.const 1))))
  (func (export "proxy_on_context_create") (param i32 i32)
    (call $check_eq (global.get $start_calls_before_the_first) (global.get $start_calls_before_the_first_len) (i32.const 1) (global.get $start)))
  (func (export "proxy_on_done") (param i32) (result i32)
    (call $check_eq (global.get $start_calls_before_the_first) (global.get $start_calls_before_the_first_len) (i32.const 1) (global.get $start))
    (i32.const 1)))
