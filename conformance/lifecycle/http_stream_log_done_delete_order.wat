(module
;; @include base
  ;; per stream: 0 = open, 1 = logged, 2 = done, 3 = deleted
  (global $root (mut i32) (i32.const 0))
  (global $stream (mut i32) (i32.const 0))
  (global $stage (mut i32) (i32.const 0))
  ;; @str $stream_stage_at_a_data "stream stage at a data callback"
  ;; @str $stream_stage_at_on_log_log "stream stage at on_log (log comes first, once)"
  ;; @str $stream_stage_at_on_done "stream stage at on_done (after on_log, once)"
  ;; @str $stream_stage_at_on_delete "stream stage at on_delete (after on_done, once)"
  ;; @str $stream_of_the_end_callback "stream of the end callback"
  ;; @str $previous_stream_finished "previous stream finished before the next one"
  (func (export "proxy_on_context_create") (param $ctx i32) (param $parent i32)
    (if (local.get $parent)
      (then
        (if (global.get $stream)
          (then (call $check_eq (global.get $previous_stream_finished) (global.get $previous_stream_finished_len) (i32.const 3) (global.get $stage))))
        (global.set $stream (local.get $ctx))
        (global.set $stage (i32.const 0)))
      (else (global.set $root (local.get $ctx)))))
  (func (export "proxy_on_request_body") (param $ctx i32) (param i32 i32) (result i32)
    (call $check_eq (global.get $stream_stage_at_a_data) (global.get $stream_stage_at_a_data_len) (i32.const 0) (global.get $stage))
    (i32.const 0))
  (func (export "proxy_on_response_body") (param $ctx i32) (param i32 i32) (result i32)
    (call $check_eq (global.get $stream_stage_at_a_data) (global.get $stream_stage_at_a_data_len) (i32.const 0) (global.get $stage))
    (i32.const 0))
  (func (export "proxy_on_log") (param $ctx i32)
    (call $check_eq (global.get $stream_of_the_end_callback) (global.get $stream_of_the_end_callback_len) (global.get $stream) (local.get $ctx))
    (call $check_eq (global.get $stream_stage_at_on_log_log) (global.get $stream_stage_at_on_log_log_len) (i32.const 0) (global.get $stage))
    (global.set $stage (i32.const 1)))
  ;; a stream answers false: the host finalizes it anyway (the result only matters for roots)
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (if (i32.ne (local.get $ctx) (global.get $root))
      (then
        (call $check_eq (global.get $stream_of_the_end_callback) (global.get $stream_of_the_end_callback_len) (global.get $stream) (local.get $ctx))
        (call $check_eq (global.get $stream_stage_at_on_done) (global.get $stream_stage_at_on_done_len) (i32.const 1) (global.get $stage))
        (global.set $stage (i32.const 2))
        (return (i32.const 0))))
    (i32.const 1))
  (func (export "proxy_on_delete") (param $ctx i32)
    (if (i32.ne (local.get $ctx) (global.get $root))
      (then
        (call $check_eq (global.get $stream_of_the_end_callback) (global.get $stream_of_the_end_callback_len) (global.get $stream) (local.get $ctx))
        (call $check_eq (global.get $stream_stage_at_on_delete) (global.get $stream_stage_at_on_delete_len) (i32.const 2) (global.get $stage))
        (global.set $stage (i32.const 3))))))
