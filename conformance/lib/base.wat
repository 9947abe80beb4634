;; Shared by every case: `;; @include base` in a case's module pastes this in (its imports
;; where the include stands, the rest at the end of the module).
;; It provides the linear memory, a bump allocator exported as `malloc`, and guest-side
;; checks that report a failure as a CRITICAL log line "pwconf-fail: <what>: expected E,
;; got A", which fails the case on every host.
;;
;; Memory map: 16..1023 the named strings (each `;; @str $name "text"` line of the case,
;; then of this library, gives `$name` and `$name_len`; see the README), 1024..2047 the
;; checks' scratch space, 2048..32767 free for the case, 32768.. the allocator's heap. The
;; runner adds the `proxy_abi_version_*` marker for each ABI version the case runs under.
(import "env" "proxy_log" (func $pwconf_log (param i32 i32 i32) (result i32)))
(memory (export "memory") 4)
(global $pwconf_heap (mut i32) (i32.const 32768))
;; @str $pwconf_fail_prefix "pwconf-fail: "
;; @str $pwconf_expected ": expected "
;; @str $pwconf_got ", got "

(func (export "malloc") (param $size i32) (result i32)
  (local $p i32)
  (local.set $p (global.get $pwconf_heap))
  (global.set $pwconf_heap (i32.and (i32.add (i32.add (global.get $pwconf_heap) (local.get $size)) (i32.const 7)) (i32.const -8)))
  (local.get $p))

;; copies len bytes from src to dst, returns dst + len
(func $pwconf_copy (param $dst i32) (param $src i32) (param $len i32) (result i32)
  (memory.copy (local.get $dst) (local.get $src) (local.get $len))
  (i32.add (local.get $dst) (local.get $len)))

;; writes the decimal of a signed i32 at dst, returns the end
(func $pwconf_decimal (param $dst i32) (param $value i32) (result i32)
  (local $digits i32) (local $v i64) (local $n i32) (local $i i32)
  (local.set $v (i64.extend_i32_s (local.get $value)))
  (if (i64.lt_s (local.get $v) (i64.const 0))
    (then
      (i32.store8 (local.get $dst) (i32.const 45))
      (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
      (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
  ;; count digits
  (local.set $n (i32.const 1))
  (local.set $digits (i32.wrap_i64 (local.get $v)))
  (block $counted
    (loop $more
      (br_if $counted (i64.lt_u (local.get $v) (i64.const 10)))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $more)))
  (local.set $v (i64.extend_i32_u (local.get $digits)))
  (if (i32.lt_s (local.get $value) (i32.const 0))
    (then (local.set $v (i64.sub (i64.const 0) (i64.extend_i32_s (local.get $value))))))
  (local.set $i (local.get $n))
  (block $written
    (loop $digit
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store8 (i32.add (local.get $dst) (local.get $i))
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $written (i32.eqz (local.get $i)))
      (br $digit)))
  (i32.add (local.get $dst) (local.get $n)))

;; fails the case with a message naming what was checked (at what_ptr, what_len)
(func $pwconf_fail (param $what i32) (param $what_len i32) (param $expected i32) (param $actual i32)
  (local $end i32)
  (local.set $end (call $pwconf_copy (i32.const 1280) (global.get $pwconf_fail_prefix) (global.get $pwconf_fail_prefix_len)))
  (local.set $end (call $pwconf_copy (local.get $end) (local.get $what) (local.get $what_len)))
  (local.set $end (call $pwconf_copy (local.get $end) (global.get $pwconf_expected) (global.get $pwconf_expected_len)))
  (local.set $end (call $pwconf_decimal (local.get $end) (local.get $expected)))
  (local.set $end (call $pwconf_copy (local.get $end) (global.get $pwconf_got) (global.get $pwconf_got_len)))
  (local.set $end (call $pwconf_decimal (local.get $end) (local.get $actual)))
  (drop (call $pwconf_log (i32.const 5) (i32.const 1280) (i32.sub (local.get $end) (i32.const 1280)))))

;; checks that an i32 (a status, a length, a value read back) is what the ABI says
(func $check_eq (param $what i32) (param $what_len i32) (param $expected i32) (param $actual i32)
  (if (i32.ne (local.get $expected) (local.get $actual))
    (then (call $pwconf_fail (local.get $what) (local.get $what_len) (local.get $expected) (local.get $actual)))))

;; checks that len bytes at a equal len bytes at b (reports the first differing offset)
(func $check_bytes (param $what i32) (param $what_len i32) (param $a i32) (param $b i32) (param $len i32)
  (local $i i32)
  (block $done
    (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i))) (i32.load8_u (i32.add (local.get $b) (local.get $i))))
        (then
          (call $pwconf_fail (local.get $what) (local.get $what_len) (i32.const -1) (local.get $i))
          (return)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
