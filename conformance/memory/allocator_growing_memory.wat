(module
  ;; No `;; @include base`: the allocator grows memory on every call and hands out the new
  ;; page, so the host must use the memory as it is after the allocator returned.
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "malloc") (param $size i32) (result i32)
    (local $pages i32)
    (local.set $pages (memory.grow (i32.add (i32.const 1) (i32.shr_u (local.get $size) (i32.const 16)))))
    (if (i32.eq (local.get $pages) (i32.const -1)) (then (return (i32.const 0))))
    (i32.mul (local.get $pages) (i32.const 65536)))
  ;; @str $plugin_name "plugin_name"
  ;; @str $grower "grower"
  ;; @str $request_path "request\00path"
  ;; @str $grows_each_time "/grows/each/time"
  ;; @str $pwconf_fail_get_property "pwconf-fail: get_property with a growing allocator is not OK"
  ;; @str $pwconf_fail_the_value_is_not "pwconf-fail: the value is not in the freshly grown page"
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
  (func $read (param $path i32) (param $path_len i32) (param $value i32) (param $len i32)
    (local $pages_before i32)
    (local.set $pages_before (memory.size))
    (call $check (i32.eqz (call $get_property (local.get $path) (local.get $path_len) (i32.const 2048) (i32.const 2052)))
      (global.get $pwconf_fail_get_property) (global.get $pwconf_fail_get_property_len))
    (call $check
      (i32.and
        (i32.and (i32.eq (i32.load (i32.const 2048)) (i32.mul (local.get $pages_before) (i32.const 65536)))
                 (i32.eq (i32.load (i32.const 2052)) (local.get $len)))
        (call $same (i32.mul (local.get $pages_before) (i32.const 65536)) (local.get $value) (local.get $len)))
      (global.get $pwconf_fail_the_value_is_not) (global.get $pwconf_fail_the_value_is_not_len)))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $read (global.get $plugin_name) (global.get $plugin_name_len) (global.get $grower) (global.get $grower_len))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $read (global.get $request_path) (global.get $request_path_len) (global.get $grows_each_time) (global.get $grows_each_time_len))
    (call $read (global.get $plugin_name) (global.get $plugin_name_len) (global.get $grower) (global.get $grower_len))
    (i32.const 0)))
