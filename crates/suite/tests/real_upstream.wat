(module
;; @include base
  (import "env" "proxy_http_call" (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $buffer (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $http_call_status "http_call status"
  ;; @str $backend "backend"
  ;; @str $pairs_method_post_path_hello_x_1 "\04\00\00\00\07\00\00\00\04\00\00\00\05\00\00\00\0a\00\00\00\0a\00\00\00\0d\00\00\00\06\00\00\00\06\00\00\00:method\00POST\00:path\00/hello?x=1\00:authority\00backend.local\00x-from\00pwconf\00"
  ;; @str $ping "ping"
  ;; @str $status_lookup ":status lookup"
  ;; @str $status ":status"
  ;; @str $x_real_lookup "x-real lookup"
  ;; @str $x_real "x-real"
  ;; @str $body_read "body read"
  ;; @str $answer "answer "
  ;; @str $x_real_label " x-real="
  ;; @str $body_label " body="

  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $check_eq (global.get $http_call_status) (global.get $http_call_status_len) (i32.const 0)
      (call $http_call (global.get $backend) (global.get $backend_len) (global.get $pairs_method_post_path_hello_x_1) (global.get $pairs_method_post_path_hello_x_1_len)
        (global.get $ping) (global.get $ping_len) (i32.const 0) (i32.const 0) (i32.const 5000) (i32.const 2048)))
    (i32.const 1))
  (func (export "proxy_on_http_call_response") (param $root i32) (param $token i32) (param $headers i32) (param $body i32) (param $trailers i32)
    (local $end i32)
    (call $check_eq (global.get $status_lookup) (global.get $status_lookup_len) (i32.const 0) (call $header (i32.const 6) (global.get $status) (global.get $status_len) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $x_real_lookup) (global.get $x_real_lookup_len) (i32.const 0) (call $header (i32.const 6) (global.get $x_real) (global.get $x_real_len) (i32.const 2064) (i32.const 2068)))
    (call $check_eq (global.get $body_read) (global.get $body_read_len) (i32.const 0) (call $buffer (i32.const 4) (i32.const 0) (local.get $body) (i32.const 2072) (i32.const 2076)))
    (local.set $end (call $pwconf_copy (i32.const 3000) (global.get $answer) (global.get $answer_len)))
    (local.set $end (call $pwconf_copy (local.get $end) (i32.load (i32.const 2056)) (i32.load (i32.const 2060))))
    (local.set $end (call $pwconf_copy (local.get $end) (global.get $x_real_label) (global.get $x_real_label_len)))
    (local.set $end (call $pwconf_copy (local.get $end) (i32.load (i32.const 2064)) (i32.load (i32.const 2068))))
    (local.set $end (call $pwconf_copy (local.get $end) (global.get $body_label) (global.get $body_label_len)))
    (local.set $end (call $pwconf_copy (local.get $end) (i32.load (i32.const 2072)) (i32.load (i32.const 2076))))
    (drop (call $pwconf_log (i32.const 2) (i32.const 3000) (i32.sub (local.get $end) (i32.const 3000)))))

)
