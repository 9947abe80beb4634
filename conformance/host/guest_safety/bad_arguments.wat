;; Calls hostcalls with wild pointers and out-of-range enums from a request callback:
;; every one must answer a status, and the stream must go on.
(module
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $buf (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_effective_context" (func $eff (param i32) (result i32)))
  (import "env" "proxy_continue_stream" (func $cont (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (data (i32.const 16) ":path")
  (data (i32.const 32) "x-missing")
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "proxy_on_request_headers") (param $ctx i32) (param i32 i32) (result i32)
    (drop (call $log (i32.const 2) (i32.const 0xfffffff0) (i32.const 32)))   ;; INVALID_MEMORY_ACCESS
    (drop (call $log (i32.const 9) (i32.const 16) (i32.const 5)))            ;; BAD_ARGUMENT
    (drop (call $get (i32.const 99) (i32.const 16) (i32.const 5) (i32.const 64) (i32.const 68)))  ;; BAD_ARGUMENT
    (drop (call $get (i32.const 0) (i32.const 16) (i32.const 5) (i32.const 0xfffffffc) (i32.const 68)))  ;; INVALID_MEMORY_ACCESS
    (drop (call $get (i32.const 0) (i32.const 32) (i32.const 9) (i32.const 64) (i32.const 68)))  ;; NOT_FOUND
    (drop (call $get (i32.const 0) (i32.const 16) (i32.const 5) (i32.const 64) (i32.const 68)))  ;; OK
    (drop (call $buf (i32.const 42) (i32.const 0) (i32.const 10) (i32.const 64) (i32.const 68))) ;; BAD_ARGUMENT
    (drop (call $eff (i32.const 12345)))                                      ;; BAD_ARGUMENT
    (drop (call $cont (i32.const 7)))                                         ;; BAD_ARGUMENT
    (i32.const 0)))
