(module
;; @include base
  ;; @str $request_metadata_entries "request metadata entries"
  ;; @str $response_metadata_entries "response metadata entries"
  ;; both answer PAUSE (1): a host that honoured it would stall the stream
  (func (export "proxy_on_request_metadata") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (global.get $request_metadata_entries) (global.get $request_metadata_entries_len) (i32.const 2) (local.get $n))
    (i32.const 1))
  (func (export "proxy_on_response_metadata") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (global.get $response_metadata_entries) (global.get $response_metadata_entries_len) (i32.const 1) (local.get $n))
    (i32.const 1)))
