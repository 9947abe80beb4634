(module
;; @include base
  (global $upstream_closes (mut i32) (i32.const 0))
  ;; @str $upstream_closes_reported_for "upstream closes reported for one connection"
  (func (export "proxy_on_upstream_data") (param i32 i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_upstream_connection_close") (param $ctx i32) (param $peer i32)
    (global.set $upstream_closes (i32.add (global.get $upstream_closes) (i32.const 1))))
  (func (export "proxy_on_downstream_connection_close") (param i32 i32))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (if (i32.ne (local.get $ctx) (i32.const 1))
      (then (call $check_eq (global.get $upstream_closes_reported_for) (global.get $upstream_closes_reported_for_len) (i32.const 1) (global.get $upstream_closes))))
    (i32.const 1)))
