(module
;; @include base
  (global $init (mut i32) (i32.const 0))
  (global $main (mut i32) (i32.const 0))
  (global $start (mut i32) (i32.const 0))
  ;; @str $main_calls_before_initialize "main calls before _initialize"
  ;; @str $initialize_calls_before_main "_initialize calls before main"
  ;; @str $main_argc "main argc"
  ;; @str $main_argv "main argv"
  ;; @str $initialize_calls_before_the "_initialize calls before the first callback"
  ;; @str $main_calls_before_the_first "main calls before the first callback"
  ;; @str $start_calls_when_initialize "_start calls when _initialize is exported"
  (func (export "_initialize")
    (call $check_eq (global.get $main_calls_before_initialize) (global.get $main_calls_before_initialize_len) (i32.const 0) (global.get $main))
    (global.set $init (i32.add (global.get $init) (i32.const 1))))
  (func (export "main") (param $argc i32) (param $argv i32) (result i32)
    (call $check_eq (global.get $initialize_calls_before_main) (global.get $initialize_calls_before_main_len) (i32.const 1) (global.get $init))
    (call $check_eq (global.get $main_argc) (global.get $main_argc_len) (i32.const 0) (local.get $argc))
    (call $check_eq (global.get $main_argv) (global.get $main_argv_len) (i32.const 0) (local.get $argv))
    (global.set $main (i32.add (global.get $main) (i32.const 1)))
    (i32.const 0))
  (func (export "_start")
    (global.set $start (i32.add (global.get $start) (i32.const 1))))
  (func $check_started
    (call $check_eq (global.get $initialize_calls_before_the) (global.get $initialize_calls_before_the_len) (i32.const 1) (global.get $init))
    (call $check_eq (global.get $main_calls_before_the_first) (global.get $main_calls_before_the_first_len) (i32.const 1) (global.get $main))
    (call $check_eq (global.get $start_calls_when_initialize) (global.get $start_calls_when_initialize_len) (i32.const 0) (global.get $start)))
  (func (export "proxy_on_context_create") (param i32 i32)
    (call $check_started))
  (func (export "proxy_on_done") (param i32) (result i32)
    (call $check_started)
    (i32.const 1)))
