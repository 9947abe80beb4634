;; Pauses every request body chunk until the last, then logs the whole buffered body and
;; replaces it with its upper-case copy (proxy_set_buffer_bytes, replace-all form).
(module
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_set_buffer_bytes" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (local $ptr i32) (local $len i32) (local $i i32)
    (if (i32.eqz (local.get $eos)) (then (return (i32.const 1))))
    (drop (call $get (i32.const 0) (i32.const 0) (local.get $size) (i32.const 200) (i32.const 204)))
    (local.set $ptr (i32.load (i32.const 200)))
    (local.set $len (i32.load (i32.const 204)))
    (drop (call $log (i32.const 2) (local.get $ptr) (local.get $len)))
    ;; upper-case a..z in place, then write it back over the whole buffer
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (if (i32.and
              (i32.ge_u (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.const 97))
              (i32.le_u (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.const 122)))
          (then (i32.store8 (i32.add (local.get $ptr) (local.get $i))
                  (i32.sub (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.const 32)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (drop (call $set (i32.const 0) (i32.const 0) (local.get $len) (local.get $ptr) (local.get $len)))
    (i32.const 0)))
