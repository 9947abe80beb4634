(module
;; @include base
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  ;; @str $random_get_of_64_kib "random_get of 64 KiB"
  ;; @str $random_get_above_64_kib "random_get above 64 KiB"
  ;; @str $random_get_of_0_bytes "random_get of 0 bytes"
  ;; @str $random_get_with_a_bad "random_get with a bad pointer"
  ;; @str $random_bytes_were_written "random bytes were written (non-zero words in 64 KiB)"
  ;; @str $random_get_of_0_bytes_at_a "random_get of 0 bytes at a bad pointer"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (local $i i32) (local $nonzero i32)
    ;; 64 KiB at 131072..196607 (memory is 256 KiB)
    (memory.fill (i32.const 131072) (i32.const 0) (i32.const 65536))
    (call $check_eq (global.get $random_get_of_64_kib) (global.get $random_get_of_64_kib_len) (i32.const 0)
      (call $random_get (i32.const 131072) (i32.const 65536)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const 65536)))
        (if (i32.load (i32.add (i32.const 131072) (local.get $i)))
          (then (local.set $nonzero (i32.add (local.get $nonzero) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (call $check_eq (global.get $random_bytes_were_written) (global.get $random_bytes_were_written_len) (i32.const 1)
      (i32.gt_u (local.get $nonzero) (i32.const 16000)))
    (call $check_eq (global.get $random_get_above_64_kib) (global.get $random_get_above_64_kib_len) (i32.const 28)
      (call $random_get (i32.const 131072) (i32.const 65537)))
    (call $check_eq (global.get $random_get_of_0_bytes) (global.get $random_get_of_0_bytes_len) (i32.const 0)
      (call $random_get (i32.const 2048) (i32.const 0)))
    (call $check_eq (global.get $random_get_with_a_bad) (global.get $random_get_with_a_bad_len) (i32.const 21)
      (call $random_get (i32.const 262100) (i32.const 100)))
    (call $check_eq (global.get $random_get_of_0_bytes_at_a) (global.get $random_get_of_0_bytes_at_a_len) (i32.const 0)
      (call $random_get (i32.const 0x7ffffff0) (i32.const 0)))
    (i32.const 1)))
