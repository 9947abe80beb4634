;; Pauses the request in proxy_on_request_headers and resumes it from a later tick:
;; proxy_set_effective_context(stream) then proxy_continue_stream(HTTP_REQUEST).
(module
  (import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))
  (import "env" "proxy_set_effective_context" (func $eff (param i32) (result i32)))
  (import "env" "proxy_continue_stream" (func $cont (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $paused (mut i32) (i32.const 0))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param i32 i32) (result i32)
    (global.set $paused (local.get $ctx))
    (drop (call $tick (i32.const 100)))
    (i32.const 1))
  (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_tick") (param $root i32)
    (drop (call $eff (global.get $paused)))
    (drop (call $cont (i32.const 0)))
    (drop (call $tick (i32.const 0)))))
