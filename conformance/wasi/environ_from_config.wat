(module
;; @include base
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  ;; @str $alpha_1 "ALPHA=1\00"
  ;; @str $beta_two_words "BETA=two words\00"
  ;; @str $environ_sizes_get_errno "environ_sizes_get errno"
  ;; @str $number_of_environment "number of environment variables"
  ;; @str $bytes_of_key_value_0_strings "bytes of KEY=VALUE\\0 strings"
  ;; @str $environ_get_errno "environ_get errno"
  ;; @str $the_two_configured_variables "the two configured variables, each once"
  ;; @str $environ_sizes_get_with_a_bad "environ_sizes_get with a bad pointer"
  ;; @str $pointers_into_the_buffer "pointers into the buffer"
  (func $bytes_eq (param $a i32) (param $b i32) (param $len i32) (result i32)
    (local $i i32)
    (block $differ
      (loop $next
        (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 1))))
        (br_if $differ (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i)))
                              (i32.load8_u (i32.add (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 0))
  (func $in_buffer (param $p i32) (result i32)
    (i32.and (i32.ge_u (local.get $p) (i32.const 4096)) (i32.lt_u (local.get $p) (i32.const 4119))))
  (func $environment
    (local $p0 i32) (local $p1 i32)
    (call $check_eq (global.get $environ_sizes_get_errno) (global.get $environ_sizes_get_errno_len) (i32.const 0)
      (call $environ_sizes_get (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $number_of_environment) (global.get $number_of_environment_len) (i32.const 2) (i32.load (i32.const 2048)))
    (call $check_eq (global.get $bytes_of_key_value_0_strings) (global.get $bytes_of_key_value_0_strings_len) (i32.const 23) (i32.load (i32.const 2052)))
    (call $check_eq (global.get $environ_get_errno) (global.get $environ_get_errno_len) (i32.const 0)
      (call $environ_get (i32.const 2064) (i32.const 4096)))
    (local.set $p0 (i32.load (i32.const 2064)))
    (local.set $p1 (i32.load (i32.const 2068)))
    (call $check_eq (global.get $pointers_into_the_buffer) (global.get $pointers_into_the_buffer_len) (i32.const 1)
      (i32.and (call $in_buffer (local.get $p0)) (call $in_buffer (local.get $p1))))
    (if (i32.and (call $in_buffer (local.get $p0)) (call $in_buffer (local.get $p1)))
      (then
        (call $check_eq (global.get $the_two_configured_variables) (global.get $the_two_configured_variables_len) (i32.const 1)
          (i32.or
            (i32.and (call $bytes_eq (local.get $p0) (global.get $alpha_1) (global.get $alpha_1_len))
                     (call $bytes_eq (local.get $p1) (global.get $beta_two_words) (global.get $beta_two_words_len)))
            (i32.and (call $bytes_eq (local.get $p0) (global.get $beta_two_words) (global.get $beta_two_words_len))
                     (call $bytes_eq (local.get $p1) (global.get $alpha_1) (global.get $alpha_1_len)))))))
    (call $check_eq (global.get $environ_sizes_get_with_a_bad) (global.get $environ_sizes_get_with_a_bad_len) (i32.const 21)
      (call $environ_sizes_get (i32.const 2048) (i32.const 262142))))
  (func (export "_initialize") (call $environment))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $environment)
    (i32.const 0)))
