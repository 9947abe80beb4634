(module
;; @include base
  (global $created (mut i32) (i32.const 0))
  (global $connected (mut i32) (i32.const 0))
  ;; @str $new_connection_after_the "new_connection after the stream's context_create"
  ;; @str $downstream_data_after_new "downstream data after new_connection"
  ;; @str $upstream_data_after_new "upstream data after new_connection"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (local.get $parent) (then (global.set $created (local.get $ctx)))))
  (func (export "proxy_on_new_connection") (param $ctx i32) (result i32)
    (call $check_eq (global.get $new_connection_after_the) (global.get $new_connection_after_the_len) (global.get $created) (local.get $ctx))
    (global.set $connected (local.get $ctx))
    (i32.const 0))
  (func (export "proxy_on_downstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $downstream_data_after_new) (global.get $downstream_data_after_new_len) (global.get $connected) (local.get $ctx))
    (i32.const 0))
  (func (export "proxy_on_upstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $upstream_data_after_new) (global.get $upstream_data_after_new_len) (global.get $connected) (local.get $ctx))
    (i32.const 0)))
