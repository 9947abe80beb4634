(module
;; @include base
  (import "env" "proxy_register_shared_queue" (func $register (param i32 i32 i32) (result i32)))
  (import "env" "proxy_resolve_shared_queue" (func $resolve (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_enqueue_shared_queue" (func $enqueue (param i32 i32 i32) (result i32)))
  (import "env" "proxy_dequeue_shared_queue" (func $dequeue (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $header (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $register_on_main "register on main"
  ;; @str $events "events"
  ;; @str $resolve_the_service_s_queue "resolve the service's queue"
  ;; @str $svc "svc"
  ;; @str $read_path "read :path"
  ;; @str $path ":path"
  ;; @str $enqueue_from_a_worker "enqueue from a worker"
  ;; @str $queue_id_on_main "queue id on main"
  ;; @str $dequeue_on_main "dequeue on main"
  ;; @str $singleton_got "singleton got "

  (global $queue (mut i32) (i32.const 0))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    ;; only the singleton service (configuration "service") registers the queue
    (if (i32.eq (local.get $size) (i32.const 7))
      (then
        (call $check_eq (global.get $register_on_main) (global.get $register_on_main_len) (i32.const 0) (call $register (global.get $events) (global.get $events_len) (i32.const 2048)))
        (global.set $queue (i32.load (i32.const 2048)))))
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param i32 i32) (result i32)
    (call $check_eq (global.get $resolve_the_service_s_queue) (global.get $resolve_the_service_s_queue_len) (i32.const 0) (call $resolve (global.get $svc) (global.get $svc_len) (global.get $events) (global.get $events_len) (i32.const 2048)))
    (call $check_eq (global.get $read_path) (global.get $read_path_len) (i32.const 0) (call $header (i32.const 0) (global.get $path) (global.get $path_len) (i32.const 2056) (i32.const 2060)))
    (call $check_eq (global.get $enqueue_from_a_worker) (global.get $enqueue_from_a_worker_len) (i32.const 0)
      (call $enqueue (i32.load (i32.const 2048)) (i32.load (i32.const 2056)) (i32.load (i32.const 2060))))
    (i32.const 0))
  (func (export "proxy_on_queue_ready") (param $root i32) (param $q i32)
    (local $end i32)
    (call $check_eq (global.get $queue_id_on_main) (global.get $queue_id_on_main_len) (global.get $queue) (local.get $q))
    (call $check_eq (global.get $dequeue_on_main) (global.get $dequeue_on_main_len) (i32.const 0) (call $dequeue (local.get $q) (i32.const 2056) (i32.const 2060)))
    (local.set $end (call $pwconf_copy (i32.const 3000) (global.get $singleton_got) (global.get $singleton_got_len)))
    (local.set $end (call $pwconf_copy (local.get $end) (i32.load (i32.const 2056)) (i32.load (i32.const 2060))))
    (drop (call $pwconf_log (i32.const 2) (i32.const 3000) (i32.sub (local.get $end) (i32.const 3000)))))
)
