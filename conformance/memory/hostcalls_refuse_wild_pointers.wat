(module
;; @include base
  (import "env" "proxy_get_status" (func $status (param i32 i32 i32) (result i32)))
  (import "env" "proxy_set_shared_data" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_shared_data" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_register_shared_queue" (func $register (param i32 i32 i32) (result i32)))
  (import "env" "proxy_enqueue_shared_queue" (func $enqueue (param i32 i32 i32) (result i32)))
  (import "env" "proxy_dequeue_shared_queue" (func $dequeue (param i32 i32 i32) (result i32)))
  (import "env" "proxy_define_metric" (func $define (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_metric" (func $metric (param i32 i32) (result i32)))
  (import "env" "proxy_set_property" (func $set_property (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_stream" (func $grpc_stream (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  ;; @str $get_status_to_a_wild_out "get_status to a wild out-pointer"
  ;; @str $set_shared_data_with_a_wild "set_shared_data with a wild key"
  ;; @str $v "v"
  ;; @str $set_shared_data_with_a_wild_value "set_shared_data with a wild value"
  ;; @str $k "k"
  ;; @str $set_k "set k"
  ;; @str $get_shared_data_with_a_wild "get_shared_data with a wild key"
  ;; @str $get_shared_data_to_a_wild "get_shared_data to a wild cas pointer"
  ;; @str $q_2 "q"
  ;; @str $enqueue_an_item "enqueue an item"
  ;; @str $item "item"
  ;; @str $dequeue_to_a_wild_out "dequeue to a wild out-pointer"
  ;; @str $define_a_counter "define a counter"
  ;; @str $pwconf_counter "pwconf_counter"
  ;; @str $get_metric_to_a_wild_out "get_metric to a wild out-pointer"
  ;; @str $set_property_with_a_wild "set_property with a wild path"
  ;; @str $set_property_with_a_wild_value "set_property with a wild value"
  ;; @str $my_key "my.key"
  ;; @str $grpc_stream_with_a_wild "grpc_stream with a wild method"
  ;; @str $grpc_backend "grpc_backend"
  ;; @str $pwconf_echo "pwconf.Echo"
  ;; @str $grpc_stream_to_a_wild_out "grpc_stream to a wild out-pointer"
  ;; @str $say "Say"

  (func (export "proxy_on_configure") (param $root i32) (param i32) (result i32)
    (local $q i32)
    (call $check_eq (global.get $get_status_to_a_wild_out) (global.get $get_status_to_a_wild_out_len) (i32.const 6) (call $status (i32.const 0x7ffffffe) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (global.get $set_shared_data_with_a_wild) (global.get $set_shared_data_with_a_wild_len) (i32.const 6) (call $set (i32.const 0x7ffffff0) (i32.const 64) (global.get $v) (global.get $v_len) (i32.const 0)))
    (call $check_eq (global.get $set_shared_data_with_a_wild_value) (global.get $set_shared_data_with_a_wild_value_len) (i32.const 6) (call $set (global.get $k) (global.get $k_len) (i32.const 0x7ffffff0) (i32.const 64) (i32.const 0)))
    (call $check_eq (global.get $set_k) (global.get $set_k_len) (i32.const 0) (call $set (global.get $k) (global.get $k_len) (global.get $v) (global.get $v_len) (i32.const 0)))
    (call $check_eq (global.get $get_shared_data_with_a_wild) (global.get $get_shared_data_with_a_wild_len) (i32.const 6) (call $get (i32.const 0x7ffffff0) (i32.const 64) (i32.const 2048) (i32.const 2052) (i32.const 2056)))
    (call $check_eq (global.get $get_shared_data_to_a_wild) (global.get $get_shared_data_to_a_wild_len) (i32.const 6) (call $get (global.get $k) (global.get $k_len) (i32.const 2048) (i32.const 2052) (i32.const 0x7ffffffe)))
    (drop (call $register (global.get $q_2) (global.get $q_2_len) (i32.const 2060)))
    (local.set $q (i32.load (i32.const 2060)))
    (call $check_eq (global.get $enqueue_an_item) (global.get $enqueue_an_item_len) (i32.const 0) (call $enqueue (local.get $q) (global.get $item) (global.get $item_len)))
    (call $check_eq (global.get $dequeue_to_a_wild_out) (global.get $dequeue_to_a_wild_out_len) (i32.const 6) (call $dequeue (local.get $q) (i32.const 2048) (i32.const 0x7ffffffe)))
    (call $check_eq (global.get $define_a_counter) (global.get $define_a_counter_len) (i32.const 0) (call $define (i32.const 0) (global.get $pwconf_counter) (global.get $pwconf_counter_len) (i32.const 2064)))
    (call $check_eq (global.get $get_metric_to_a_wild_out) (global.get $get_metric_to_a_wild_out_len) (i32.const 6) (call $metric (i32.load (i32.const 2064)) (i32.const 0x7ffffffe)))
    (call $check_eq (global.get $set_property_with_a_wild) (global.get $set_property_with_a_wild_len) (i32.const 6) (call $set_property (i32.const 0x7ffffff0) (i32.const 64) (global.get $v) (global.get $v_len)))
    (call $check_eq (global.get $set_property_with_a_wild_value) (global.get $set_property_with_a_wild_value_len) (i32.const 6) (call $set_property (global.get $my_key) (global.get $my_key_len) (i32.const 0x7ffffff0) (i32.const 64)))
    (call $check_eq (global.get $grpc_stream_with_a_wild) (global.get $grpc_stream_with_a_wild_len) (i32.const 6)
      (call $grpc_stream (global.get $grpc_backend) (global.get $grpc_backend_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (i32.const 0x7ffffff0) (i32.const 64) (i32.const 0) (i32.const 0) (i32.const 2048)))
    (call $check_eq (global.get $grpc_stream_to_a_wild_out) (global.get $grpc_stream_to_a_wild_out_len) (i32.const 6)
      (call $grpc_stream (global.get $grpc_backend) (global.get $grpc_backend_len) (global.get $pwconf_echo) (global.get $pwconf_echo_len) (global.get $say) (global.get $say_len) (i32.const 0) (i32.const 0) (i32.const 0x7ffffffe)))
    (i32.const 1))
)
