(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  ;; @str $response_code "response\00code"
  ;; @str $source_port "source\00port"
  ;; @str $destination_port "destination\00port"
  ;; @str $connection_id "connection\00id"
  ;; @str $response_code_2 "response.code"
  ;; @str $source_port_2 "source.port"
  ;; @str $destination_port_2 "destination.port"
  ;; @str $connection_id_status "connection.id status"
  ;; @str $connection_id_length "connection.id length"
  ;; an integer property: OK, 8 bytes, little-endian value
  (func $expect_int (param $path i32) (param $path_len i32) (param $value i64)
                    (param $what i32) (param $what_len i32)
    (local $ptr i32) (local $status i32)
    (local.set $status
      (call $get_property (local.get $path) (local.get $path_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (i32.const 0) (local.get $status))
    (if (local.get $status) (then (return)))
    (call $check_eq (local.get $what) (local.get $what_len) (i32.const 8) (i32.load (i32.const 2052)))
    (local.set $ptr (i32.load (i32.const 2048)))
    (call $check_eq (local.get $what) (local.get $what_len)
      (i32.wrap_i64 (local.get $value)) (i32.load (local.get $ptr)))
    (call $check_eq (local.get $what) (local.get $what_len)
      (i32.wrap_i64 (i64.shr_u (local.get $value) (i64.const 32))) (i32.load offset=4 (local.get $ptr))))
  (func $integers
    (call $expect_int (global.get $response_code) (global.get $response_code_len) (i64.const 201) (global.get $response_code_2) (global.get $response_code_2_len))
    (call $expect_int (global.get $source_port) (global.get $source_port_len) (i64.const 50000) (global.get $source_port_2) (global.get $source_port_2_len))
    (call $expect_int (global.get $destination_port) (global.get $destination_port_len) (i64.const 10000) (global.get $destination_port_2) (global.get $destination_port_2_len))
    (call $check_eq (global.get $connection_id_status) (global.get $connection_id_status_len) (i32.const 0)
      (call $get_property (global.get $connection_id) (global.get $connection_id_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $connection_id_length) (global.get $connection_id_length_len) (i32.const 8) (i32.load (i32.const 2052))))
  (func (export "proxy_on_response_body") (param i32 i32 i32) (result i32)
    (call $integers)
    (i32.const 0))
  (func (export "proxy_on_log") (param i32)
    (call $integers)))
