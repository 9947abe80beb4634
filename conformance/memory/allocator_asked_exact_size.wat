(module
  ;; No `;; @include base`: this module records its own allocator calls.
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 16384))
  (global $calls (mut i32) (i32.const 0))
  (global $last_size (mut i32) (i32.const -1))
  (global $last_ptr (mut i32) (i32.const -1))
  (func (export "malloc") (param $size i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (global.set $last_size (local.get $size))
    (global.set $last_ptr (global.get $heap))
    ;; poison the block so the copy is visible
    (memory.fill (global.get $heap) (i32.const 0xee) (i32.add (local.get $size) (i32.const 8)))
    (global.set $heap (i32.add (global.get $heap) (i32.add (local.get $size) (i32.const 8))))
    (global.get $last_ptr))
  ;; @str $plugin_name "plugin_name"
  ;; @str $exact_sized "exact_sized"
  ;; @str $request_path "request\00path"
  ;; @str $a_longer_request_path "/a/longer/request/path"
  ;; @str $pwconf_fail_get_property "pwconf-fail: get_property status is not OK"
  ;; @str $pwconf_fail_the_allocator "pwconf-fail: the allocator was not called exactly once"
  ;; @str $pwconf_fail_the_allocator_was "pwconf-fail: the allocator was not asked for exactly the value's length"
  ;; @str $pwconf_fail_the_returned "pwconf-fail: the returned pointer is not the allocator's block"
  ;; @str $pwconf_fail_the_returned_length "pwconf-fail: the returned length is not the value's length"
  ;; @str $pwconf_fail_the_value_was "pwconf-fail: the value was not copied into the allocated block"
  ;; @str $pwconf_fail_bytes_past_the "pwconf-fail: bytes past the value in the block were touched"
  (func $check (param $ok i32) (param $msg i32) (param $len i32)
    (if (i32.eqz (local.get $ok))
      (then (drop (call $log (i32.const 5) (local.get $msg) (local.get $len))))))
  (func $same (param $a i32) (param $b i32) (param $len i32) (result i32)
    (local $i i32)
    (block $differ
      (loop $next
        (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 1))))
        (br_if $differ (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i)))
                              (i32.load8_u (i32.add (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 0))
  ;; reads a property whose value is (value, len) and checks how the host allocated it
  (func $read (param $path i32) (param $path_len i32) (param $value i32) (param $len i32)
    (local $before i32)
    (local.set $before (global.get $calls))
    (call $check (i32.eqz (call $get_property (local.get $path) (local.get $path_len) (i32.const 2048) (i32.const 2052)))
      (global.get $pwconf_fail_get_property) (global.get $pwconf_fail_get_property_len))
    (call $check (i32.eq (global.get $calls) (i32.add (local.get $before) (i32.const 1))) (global.get $pwconf_fail_the_allocator) (global.get $pwconf_fail_the_allocator_len))
    (call $check (i32.eq (global.get $last_size) (local.get $len)) (global.get $pwconf_fail_the_allocator_was) (global.get $pwconf_fail_the_allocator_was_len))
    (call $check (i32.eq (i32.load (i32.const 2048)) (global.get $last_ptr)) (global.get $pwconf_fail_the_returned) (global.get $pwconf_fail_the_returned_len))
    (call $check (i32.eq (i32.load (i32.const 2052)) (local.get $len)) (global.get $pwconf_fail_the_returned_length) (global.get $pwconf_fail_the_returned_length_len))
    (call $check (call $same (global.get $last_ptr) (local.get $value) (local.get $len)) (global.get $pwconf_fail_the_value_was) (global.get $pwconf_fail_the_value_was_len))
    (call $check (i32.eq (i32.load8_u (i32.add (global.get $last_ptr) (local.get $len))) (i32.const 0xee))
      (global.get $pwconf_fail_bytes_past_the) (global.get $pwconf_fail_bytes_past_the_len)))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $read (global.get $plugin_name) (global.get $plugin_name_len) (global.get $exact_sized) (global.get $exact_sized_len))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $read (global.get $request_path) (global.get $request_path_len) (global.get $a_longer_request_path) (global.get $a_longer_request_path_len))
    (call $read (global.get $plugin_name) (global.get $plugin_name_len) (global.get $exact_sized) (global.get $exact_sized_len))
    (i32.const 0)))
