(module
;; @include base
  (global $root (mut i32) (i32.const 0))
  ;; @str $stream_context_of_a_plugin "stream context of a plugin whose configure returned false"
  ;; @str $finished_context_is_the_root "finished context is the root (no stream was announced)"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (local.get $parent)
      (then (call $check_eq (global.get $stream_context_of_a_plugin) (global.get $stream_context_of_a_plugin_len) (i32.const 0) (local.get $ctx)))
      (else (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (i32.const 0))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (i32.const 0))
  (func (export "proxy_on_log") (param i32))
  ;; only the root was ever announced, so only the root may be finished
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (call $check_eq (global.get $finished_context_is_the_root) (global.get $finished_context_is_the_root_len) (global.get $root) (local.get $ctx))
    (i32.const 1))
  (func (export "proxy_on_delete") (param $ctx i32)
    (call $check_eq (global.get $finished_context_is_the_root) (global.get $finished_context_is_the_root_len) (global.get $root) (local.get $ctx))))
