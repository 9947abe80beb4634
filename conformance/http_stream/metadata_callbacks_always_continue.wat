(module
;; @include base
  (data (i32.const 16) "request metadata entries")
  (data (i32.const 48) "response metadata entries")
  ;; both answer PAUSE (1): a host that honoured it would stall the stream
  (func (export "proxy_on_request_metadata") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (i32.const 16) (i32.const 24) (i32.const 2) (local.get $n))
    (i32.const 1))
  (func (export "proxy_on_response_metadata") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (i32.const 48) (i32.const 25) (i32.const 1) (local.get $n))
    (i32.const 1)))
