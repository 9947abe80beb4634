(module
;; @include base
  ;; @str $proxy_log_with_a_range_past "proxy_log with a range past the end of memory"
  ;; @str $proxy_log_with_a_range_that "proxy_log with a range that wraps around 2^32"
  ;; @str $proxy_log_with_a_bad_level "proxy_log with a bad level and a bad range"
  ;; @str $proxy_log_ending_exactly_at "proxy_log ending exactly at the end of memory"
  ;; @str $proxy_log_stream_callback "proxy_log stream callback goes on"
  (func $bad_ranges
    ;; memory is 4 pages (262144 bytes)
    (call $check_eq (global.get $proxy_log_with_a_range_past) (global.get $proxy_log_with_a_range_past_len) (i32.const 6)
      (call $pwconf_log (i32.const 2) (i32.const 262140) (i32.const 8)))
    (call $check_eq (global.get $proxy_log_with_a_range_that) (global.get $proxy_log_with_a_range_that_len) (i32.const 6)
      (call $pwconf_log (i32.const 2) (i32.const 0xfffffff0) (i32.const 32)))
    ;; the level is checked before memory
    (call $check_eq (global.get $proxy_log_with_a_bad_level) (global.get $proxy_log_with_a_bad_level_len) (i32.const 2)
      (call $pwconf_log (i32.const 9) (i32.const 0xfffffff0) (i32.const 32)))
    (i32.store (i32.const 262140) (i32.const 0x6b6f6b6f))
    (call $check_eq (global.get $proxy_log_ending_exactly_at) (global.get $proxy_log_ending_exactly_at_len) (i32.const 0)
      (call $pwconf_log (i32.const 2) (i32.const 262140) (i32.const 4))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $bad_ranges)
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $bad_ranges)
    (i32.const 0)))
