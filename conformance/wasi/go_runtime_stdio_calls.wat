(module
;; @include base
  (import "wasi_snapshot_preview1" "fd_advise" (func $fd_advise (param i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_allocate" (func $fd_allocate (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_datasync" (func $fd_datasync (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_rights" (func $fd_fdstat_set_rights (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_size" (func $fd_filestat_set_size (param i32 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_times" (func $fd_filestat_set_times (param i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_sync" (func $fd_sync (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pread" (func $fd_pread (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pwrite" (func $fd_pwrite (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_tell" (func $fd_tell (param i32 i32) (result i32)))
  ;; @str $pwconf_pwrite_to_stderr "pwconf pwrite to stderr\n"
  ;; @str $fd_advise_on_an_fd_that_does_not_exist "fd_advise on an fd that does not exist"
  ;; @str $fd_allocate_on_fd_1 "fd_allocate on fd 1"
  ;; @str $fd_allocate_on_fd_9 "fd_allocate on fd 9"
  ;; @str $fd_datasync_on_fd_1 "fd_datasync on fd 1"
  ;; @str $fd_datasync_on_fd_9 "fd_datasync on fd 9"
  ;; @str $fd_fdstat_set_rights_on_fd_1 "fd_fdstat_set_rights on fd 1"
  ;; @str $fd_fdstat_set_rights_on_fd_9 "fd_fdstat_set_rights on fd 9"
  ;; @str $fd_filestat_set_size_on_fd_1 "fd_filestat_set_size on fd 1"
  ;; @str $fd_filestat_set_size_on_fd_9 "fd_filestat_set_size on fd 9"
  ;; @str $fd_filestat_set_times_on_fd_1 "fd_filestat_set_times on fd 1"
  ;; @str $fd_filestat_set_times_on_fd_9 "fd_filestat_set_times on fd 9"
  ;; @str $fd_sync_on_fd_1 "fd_sync on fd 1"
  ;; @str $fd_sync_on_fd_9 "fd_sync on fd 9"
  ;; @str $fd_pread "fd_pread"
  ;; @str $fd_pwrite_to_fd_2 "fd_pwrite to fd 2"
  ;; @str $fd_pwrite_written_bytes "fd_pwrite written bytes"
  ;; @str $fd_pwrite_to_fd_3 "fd_pwrite to fd 3"
  ;; @str $fd_renumber_1_to_2 "fd_renumber 1 to 2"
  ;; @str $fd_renumber_1_to_5 "fd_renumber 1 to 5"
  ;; @str $fd_tell_on_fd_1 "fd_tell on fd 1"
  ;; @str $fd_tell_offset_low_half "fd_tell offset, low half"
  ;; @str $fd_tell_offset_high_half "fd_tell offset, high half"
  ;; @str $fd_tell_on_fd_4 "fd_tell on fd 4"
  ;; @str $fd_tell_with_a_bad_out_pointer "fd_tell with a bad out-pointer"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $check_eq (global.get $fd_advise_on_an_fd_that_does_not_exist) (global.get $fd_advise_on_an_fd_that_does_not_exist_len) (i32.const 0)
      (call $fd_advise (i32.const 7) (i64.const 0) (i64.const 100) (i32.const 0)))
    (call $check_eq (global.get $fd_allocate_on_fd_1) (global.get $fd_allocate_on_fd_1_len) (i32.const 0)
      (call $fd_allocate (i32.const 1) (i64.const 0) (i64.const 10)))
    (call $check_eq (global.get $fd_allocate_on_fd_9) (global.get $fd_allocate_on_fd_9_len) (i32.const 8)
      (call $fd_allocate (i32.const 9) (i64.const 0) (i64.const 10)))
    (call $check_eq (global.get $fd_datasync_on_fd_1) (global.get $fd_datasync_on_fd_1_len) (i32.const 0)
      (call $fd_datasync (i32.const 1)))
    (call $check_eq (global.get $fd_datasync_on_fd_9) (global.get $fd_datasync_on_fd_9_len) (i32.const 8)
      (call $fd_datasync (i32.const 9)))
    (call $check_eq (global.get $fd_fdstat_set_rights_on_fd_1) (global.get $fd_fdstat_set_rights_on_fd_1_len) (i32.const 0)
      (call $fd_fdstat_set_rights (i32.const 1) (i64.const 64) (i64.const 0)))
    (call $check_eq (global.get $fd_fdstat_set_rights_on_fd_9) (global.get $fd_fdstat_set_rights_on_fd_9_len) (i32.const 8)
      (call $fd_fdstat_set_rights (i32.const 9) (i64.const 64) (i64.const 0)))
    (call $check_eq (global.get $fd_filestat_set_size_on_fd_1) (global.get $fd_filestat_set_size_on_fd_1_len) (i32.const 0)
      (call $fd_filestat_set_size (i32.const 1) (i64.const 0)))
    (call $check_eq (global.get $fd_filestat_set_size_on_fd_9) (global.get $fd_filestat_set_size_on_fd_9_len) (i32.const 8)
      (call $fd_filestat_set_size (i32.const 9) (i64.const 0)))
    (call $check_eq (global.get $fd_filestat_set_times_on_fd_1) (global.get $fd_filestat_set_times_on_fd_1_len) (i32.const 0)
      (call $fd_filestat_set_times (i32.const 1) (i64.const 1) (i64.const 2) (i32.const 3)))
    (call $check_eq (global.get $fd_filestat_set_times_on_fd_9) (global.get $fd_filestat_set_times_on_fd_9_len) (i32.const 8)
      (call $fd_filestat_set_times (i32.const 9) (i64.const 1) (i64.const 2) (i32.const 3)))
    (call $check_eq (global.get $fd_sync_on_fd_1) (global.get $fd_sync_on_fd_1_len) (i32.const 0)
      (call $fd_sync (i32.const 1)))
    (call $check_eq (global.get $fd_sync_on_fd_9) (global.get $fd_sync_on_fd_9_len) (i32.const 8)
      (call $fd_sync (i32.const 9)))
    (call $check_eq (global.get $fd_pread) (global.get $fd_pread_len) (i32.const 52)
      (call $fd_pread (i32.const 1) (i32.const 2048) (i32.const 1) (i64.const 0) (i32.const 2200)))
    (i32.store (i32.const 2048) (global.get $pwconf_pwrite_to_stderr))
    (i32.store (i32.const 2052) (global.get $pwconf_pwrite_to_stderr_len))
    (call $check_eq (global.get $fd_pwrite_to_fd_2) (global.get $fd_pwrite_to_fd_2_len) (i32.const 0)
      (call $fd_pwrite (i32.const 2) (i32.const 2048) (i32.const 1) (i64.const 99) (i32.const 2200)))
    (call $check_eq (global.get $fd_pwrite_written_bytes) (global.get $fd_pwrite_written_bytes_len) (i32.const 24)
      (i32.load (i32.const 2200)))
    (call $check_eq (global.get $fd_pwrite_to_fd_3) (global.get $fd_pwrite_to_fd_3_len) (i32.const 8)
      (call $fd_pwrite (i32.const 3) (i32.const 2048) (i32.const 1) (i64.const 0) (i32.const 2200)))
    (call $check_eq (global.get $fd_renumber_1_to_2) (global.get $fd_renumber_1_to_2_len) (i32.const 58)
      (call $fd_renumber (i32.const 1) (i32.const 2)))
    (call $check_eq (global.get $fd_renumber_1_to_5) (global.get $fd_renumber_1_to_5_len) (i32.const 8)
      (call $fd_renumber (i32.const 1) (i32.const 5)))
    (i64.store (i32.const 2300) (i64.const -1))
    (call $check_eq (global.get $fd_tell_on_fd_1) (global.get $fd_tell_on_fd_1_len) (i32.const 0)
      (call $fd_tell (i32.const 1) (i32.const 2300)))
    (call $check_eq (global.get $fd_tell_offset_low_half) (global.get $fd_tell_offset_low_half_len) (i32.const 0)
      (i32.load (i32.const 2300)))
    (call $check_eq (global.get $fd_tell_offset_high_half) (global.get $fd_tell_offset_high_half_len) (i32.const 0)
      (i32.load (i32.const 2304)))
    (call $check_eq (global.get $fd_tell_on_fd_4) (global.get $fd_tell_on_fd_4_len) (i32.const 8)
      (call $fd_tell (i32.const 4) (i32.const 2300)))
    (call $check_eq (global.get $fd_tell_with_a_bad_out_pointer) (global.get $fd_tell_with_a_bad_out_pointer_len) (i32.const 21)
      (call $fd_tell (i32.const 1) (i32.const 262140)))
    (i32.const 1)))
