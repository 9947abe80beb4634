(module
;; @include base
  (global $step (mut i32) (i32.const 0))
  ;; @str $upstream_close_right_after "upstream close right after the last upstream data"
  ;; @str $downstream_close_after_the "downstream close after the upstream close"
  ;; @str $done_after_both_closes "done after both closes"
  ;; @str $log_after_done "log after done"
  ;; @str $delete_after_log "delete after log"
  ;; each callback checks the step it expects, then advances it
  (func $at (param $what i32) (param $what_len i32) (param $want i32)
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $want) (global.get $step))
    (global.set $step (i32.add (local.get $want) (i32.const 1))))
  (func (export "proxy_on_upstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (if (local.get $eos) (then (global.set $step (i32.const 1))))
    (i32.const 0))
  (func (export "proxy_on_upstream_connection_close") (param $ctx i32) (param $peer i32)
    (call $at (global.get $upstream_close_right_after) (global.get $upstream_close_right_after_len) (i32.const 1)))
  (func (export "proxy_on_downstream_connection_close") (param $ctx i32) (param $peer i32)
    (call $at (global.get $downstream_close_after_the) (global.get $downstream_close_after_the_len) (i32.const 2)))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (if (i32.ne (local.get $ctx) (i32.const 1))
      (then (call $at (global.get $done_after_both_closes) (global.get $done_after_both_closes_len) (i32.const 3))))
    (i32.const 1))
  (func (export "proxy_on_log") (param $ctx i32)
    (call $at (global.get $log_after_done) (global.get $log_after_done_len) (i32.const 4)))
  (func (export "proxy_on_delete") (param $ctx i32)
    (if (i32.ne (local.get $ctx) (i32.const 1))
      (then (call $at (global.get $delete_after_log) (global.get $delete_after_log_len) (i32.const 5))))))
