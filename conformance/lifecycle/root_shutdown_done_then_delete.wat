(module
;; @include base
  (global $root (mut i32) (i32.const 0))
  (global $root_done (mut i32) (i32.const 0))
  (global $streams_deleted (mut i32) (i32.const 0))
  ;; @str $on_done_calls_of_the_root "on_done calls of the root before its on_delete"
  ;; @str $streams_finished_before_the "streams finished before the root's on_done"
  ;; @str $on_done_calls_of_the_root_2 "on_done calls of the root"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (i32.eqz (local.get $parent)) (then (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (if (i32.eq (local.get $ctx) (global.get $root))
      (then
        (call $check_eq (global.get $streams_finished_before_the) (global.get $streams_finished_before_the_len) (i32.const 1) (global.get $streams_deleted))
        (global.set $root_done (i32.add (global.get $root_done) (i32.const 1)))
        (call $check_eq (global.get $on_done_calls_of_the_root_2) (global.get $on_done_calls_of_the_root_2_len) (i32.const 1) (global.get $root_done))))
    (i32.const 1))
  (func (export "proxy_on_delete") (param $ctx i32)
    (if (i32.eq (local.get $ctx) (global.get $root))
      (then (call $check_eq (global.get $on_done_calls_of_the_root) (global.get $on_done_calls_of_the_root_len) (i32.const 1) (global.get $root_done)))
      (else (global.set $streams_deleted (i32.add (global.get $streams_deleted) (i32.const 1)))))))
