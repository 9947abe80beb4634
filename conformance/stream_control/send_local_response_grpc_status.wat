(module
;; @include base
  (import "env" "proxy_send_local_response" (func $reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  ;; the gRPC status and HTTP status each stream sends, in stream order
  (global $streams (mut i32) (i32.const 0))
  ;; @str $send_local_response_status "send_local_response status"
  (func $send (param $http i32) (param $grpc i32)
    (call $check_eq (global.get $send_local_response_status) (global.get $send_local_response_status_len) (i32.const 0)
      (call $reply (local.get $http) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
        (i32.const 0) (i32.const 0) (local.get $grpc))))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (global.set $streams (i32.add (global.get $streams) (i32.const 1)))
    (if (i32.eq (global.get $streams) (i32.const 1)) (then (call $send (i32.const 200) (i32.const 7))))
    (if (i32.eq (global.get $streams) (i32.const 2)) (then (call $send (i32.const 200) (i32.const 0))))
    (if (i32.eq (global.get $streams) (i32.const 3)) (then (call $send (i32.const 401) (i32.const -1))))
    (if (i32.eq (global.get $streams) (i32.const 4)) (then (call $send (i32.const 401) (i32.const 17))))
    (i32.const 0)))
