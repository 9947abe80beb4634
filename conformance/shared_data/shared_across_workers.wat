;; Each worker's VM copy: the first request seen anywhere stores "shared"; a VM that finds
;; it already stored (by the other worker's copy) checks the value and logs "read".
(module
;; @include base
  (import "env" "proxy_set_shared_data" (func $set (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_shared_data" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  ;; @str $owner "owner"
  ;; @str $shared "shared"
  ;; @str $set_2 "set"
  ;; @str $read "read"
  ;; @str $value_seen_by_the_other "value seen by the other worker"
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (if (i32.eq (call $get (global.get $owner) (global.get $owner_len) (i32.const 2048) (i32.const 2052) (i32.const 2056)) (i32.const 1))
      (then
        (drop (call $set (global.get $owner) (global.get $owner_len) (global.get $shared) (global.get $shared_len) (i32.const 0)))
        (drop (call $pwconf_log (i32.const 2) (global.get $set_2) (global.get $set_2_len))))
      (else
        (call $check_bytes (global.get $value_seen_by_the_other) (global.get $value_seen_by_the_other_len) (i32.load (i32.const 2048)) (global.get $shared) (global.get $shared_len))
        (drop (call $pwconf_log (i32.const 2) (global.get $read) (global.get $read_len)))))
    (i32.const 0)))
