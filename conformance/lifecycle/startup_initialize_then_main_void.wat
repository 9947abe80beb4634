(module
;; @include base
  (global $init (mut i32) (i32.const 0))
  (global $main (mut i32) (i32.const 0))
  ;; @str $main_void_calls_before "__main_void calls before _initialize"
  ;; @str $initialize_calls_before_main "_initialize calls before __main_void"
  ;; @str $initialize_calls_before_the "_initialize calls before the first callback"
  ;; @str $main_void_calls_before_the "__main_void calls before the first callback"
  (func (export "_initialize")
    (call $check_eq (global.get $main_void_calls_before) (global.get $main_void_calls_before_len) (i32.const 0) (global.get $main))
    (global.set $init (i32.add (global.get $init) (i32.const 1))))
  (func (export "__main_void") (result i32)
    (call $check_eq (global.get $initialize_calls_before_main) (global.get $initialize_calls_before_main_len) (i32.const 1) (global.get $init))
    (global.set $main (i32.add (global.get $main) (i32.const 1)))
    (i32.const 0))
  (func (export "proxy_on_context_create") (param i32 i32)
    (call $check_eq (global.get $initialize_calls_before_the) (global.get $initialize_calls_before_the_len) (i32.const 1) (global.get $init))
    (call $check_eq (global.get $main_void_calls_before_the) (global.get $main_void_calls_before_the_len) (i32.const 1) (global.get $main))))
