(module
;; @include base
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $x_early "x-early"
  ;; @str $s_1 "1"
  ;; @str $x_checksum "x-checksum"
  ;; @str $abcd "abcd"
  ;; @str $x_resp_sum "x-resp-sum"
  ;; @str $xy "xy"
  ;; @str $add_request_trailer_before "add request trailer before end_of_stream"
  ;; @str $add_request_trailer_in_the "add request trailer in the last body callback"
  ;; @str $status_of_get_header_map "status of get_header_map_value(x-checksum)"
  ;; @str $x_checksum_read_back "x-checksum read back"
  ;; @str $add_response_trailer_in_the "add response trailer in the last body callback"
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (if (i32.eqz (local.get $eos))
      (then
        (call $check_eq (global.get $add_request_trailer_before) (global.get $add_request_trailer_before_len) (i32.const 2)
          (call $add (i32.const 1) (global.get $x_early) (global.get $x_early_len) (global.get $s_1) (global.get $s_1_len))))
      (else
        (call $check_eq (global.get $add_request_trailer_in_the) (global.get $add_request_trailer_in_the_len) (i32.const 0)
          (call $add (i32.const 1) (global.get $x_checksum) (global.get $x_checksum_len) (global.get $abcd) (global.get $abcd_len)))
        (call $check_eq (global.get $status_of_get_header_map) (global.get $status_of_get_header_map_len) (i32.const 0)
          (call $get (i32.const 1) (global.get $x_checksum) (global.get $x_checksum_len) (i32.const 2048) (i32.const 2052)))
        (call $check_eq (global.get $x_checksum_read_back) (global.get $x_checksum_read_back_len) (i32.const 4) (i32.load (i32.const 2052)))
        (call $check_bytes (global.get $x_checksum_read_back) (global.get $x_checksum_read_back_len) (i32.load (i32.const 2048)) (global.get $abcd) (global.get $abcd_len))))
    (i32.const 0))
  (func (export "proxy_on_response_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (if (local.get $eos)
      (then
        (call $check_eq (global.get $add_response_trailer_in_the) (global.get $add_response_trailer_in_the_len) (i32.const 0)
          (call $add (i32.const 3) (global.get $x_resp_sum) (global.get $x_resp_sum_len) (global.get $xy) (global.get $xy_len)))))
    (i32.const 0))
  (func (export "proxy_on_request_trailers") (param i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_response_trailers") (param i32 i32) (result i32) (i32.const 0)))
