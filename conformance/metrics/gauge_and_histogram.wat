(module
;; @include base
  (import "env" "proxy_define_metric" (func $define (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_increment_metric" (func $inc (param i32 i64) (result i32)))
  (import "env" "proxy_record_metric" (func $record (param i32 i64) (result i32)))
  (import "env" "proxy_get_metric" (func $get (param i32 i32) (result i32)))
  ;; @str $level "level"
  ;; @str $latency "latency"
  ;; @str $gauge_value_after_record_10 "gauge value after record 10 and increment -3"
  ;; @str $histogram_record "histogram record"
  ;; @str $histogram_increment "histogram increment"
  ;; @str $histogram_get "histogram get"
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (local $gauge i32) (local $hist i32)
    (drop (call $define (i32.const 1) (global.get $level) (global.get $level_len) (i32.const 2048)))
    (local.set $gauge (i32.load (i32.const 2048)))
    (drop (call $record (local.get $gauge) (i64.const 10)))
    (drop (call $inc (local.get $gauge) (i64.const -3)))
    (drop (call $get (local.get $gauge) (i32.const 2056)))
    (call $check_eq (global.get $gauge_value_after_record_10) (global.get $gauge_value_after_record_10_len) (i32.const 7) (i32.load (i32.const 2056)))
    (drop (call $define (i32.const 2) (global.get $latency) (global.get $latency_len) (i32.const 2048)))
    (local.set $hist (i32.load (i32.const 2048)))
    (call $check_eq (global.get $histogram_record) (global.get $histogram_record_len) (i32.const 0) (call $record (local.get $hist) (i64.const 5)))
    (call $check_eq (global.get $histogram_record) (global.get $histogram_record_len) (i32.const 0) (call $record (local.get $hist) (i64.const 7)))
    (call $check_eq (global.get $histogram_increment) (global.get $histogram_increment_len) (i32.const 2) (call $inc (local.get $hist) (i64.const 1)))
    (call $check_eq (global.get $histogram_get) (global.get $histogram_get_len) (i32.const 2) (call $get (local.get $hist) (i32.const 2056)))
    (i32.const 0)))
