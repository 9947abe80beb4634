(module
;; @include base
  ;; @str $pwconf_level_0_trace "pwconf-level-0 trace"
  ;; @str $pwconf_level_1_debug "pwconf-level-1 debug"
  ;; @str $pwconf_level_2_info "pwconf-level-2 info"
  ;; @str $pwconf_level_3_warn "pwconf-level-3 warn"
  ;; @str $pwconf_level_4_error "pwconf-level-4 error"
  ;; @str $pwconf_level_5_critical "pwconf-level-5 critical"
  ;; @str $pwconf_level_6_none "pwconf-level-6 none"
  ;; @str $proxy_log_status_at_level_0 "proxy_log status at level 0"
  ;; @str $proxy_log_status_at_level_1 "proxy_log status at level 1"
  ;; @str $proxy_log_status_at_level_2 "proxy_log status at level 2"
  ;; @str $proxy_log_status_at_level_3 "proxy_log status at level 3"
  ;; @str $proxy_log_status_at_level_4 "proxy_log status at level 4"
  ;; @str $proxy_log_status_at_level_5 "proxy_log status at level 5"
  ;; @str $proxy_log_status_at_level_6 "proxy_log status at level 6"
  ;; @str $proxy_log_status_at_level "proxy_log status at level 0xffffffff"
  (func $levels
    (call $check_eq (global.get $proxy_log_status_at_level_0) (global.get $proxy_log_status_at_level_0_len) (i32.const 0) (call $pwconf_log (i32.const 0) (global.get $pwconf_level_0_trace) (global.get $pwconf_level_0_trace_len)))
    (call $check_eq (global.get $proxy_log_status_at_level_1) (global.get $proxy_log_status_at_level_1_len) (i32.const 0) (call $pwconf_log (i32.const 1) (global.get $pwconf_level_1_debug) (global.get $pwconf_level_1_debug_len)))
    (call $check_eq (global.get $proxy_log_status_at_level_2) (global.get $proxy_log_status_at_level_2_len) (i32.const 0) (call $pwconf_log (i32.const 2) (global.get $pwconf_level_2_info) (global.get $pwconf_level_2_info_len)))
    (call $check_eq (global.get $proxy_log_status_at_level_3) (global.get $proxy_log_status_at_level_3_len) (i32.const 0) (call $pwconf_log (i32.const 3) (global.get $pwconf_level_3_warn) (global.get $pwconf_level_3_warn_len)))
    (call $check_eq (global.get $proxy_log_status_at_level_4) (global.get $proxy_log_status_at_level_4_len) (i32.const 0) (call $pwconf_log (i32.const 4) (global.get $pwconf_level_4_error) (global.get $pwconf_level_4_error_len)))
    (call $check_eq (global.get $proxy_log_status_at_level_5) (global.get $proxy_log_status_at_level_5_len) (i32.const 0) (call $pwconf_log (i32.const 5) (global.get $pwconf_level_5_critical) (global.get $pwconf_level_5_critical_len)))
    (call $check_eq (global.get $proxy_log_status_at_level_6) (global.get $proxy_log_status_at_level_6_len) (i32.const 2) (call $pwconf_log (i32.const 6) (global.get $pwconf_level_6_none) (global.get $pwconf_level_6_none_len)))
    (call $check_eq (global.get $proxy_log_status_at_level) (global.get $proxy_log_status_at_level_len) (i32.const 2) (call $pwconf_log (i32.const -1) (global.get $pwconf_level_6_none) (global.get $pwconf_level_6_none_len))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $levels)
    (i32.const 1)))
