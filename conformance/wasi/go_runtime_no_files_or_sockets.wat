(module
;; @include base
  (import "wasi_snapshot_preview1" "path_create_directory" (func $path_create_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_set_times" (func $path_filestat_set_times (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_readlink" (func $path_readlink (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_remove_directory" (func $path_remove_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename" (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send" (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $sock_shutdown (param i32 i32) (result i32)))
  ;; @str $etc "/etc"
  ;; @str $path_create_directory "path_create_directory"
  ;; @str $path_filestat_get "path_filestat_get"
  ;; @str $path_filestat_set_times "path_filestat_set_times"
  ;; @str $path_link "path_link"
  ;; @str $path_readlink "path_readlink"
  ;; @str $path_readlink_bytes_used "path_readlink bytes used"
  ;; @str $path_remove_directory "path_remove_directory"
  ;; @str $path_rename "path_rename"
  ;; @str $path_symlink "path_symlink"
  ;; @str $path_unlink_file "path_unlink_file"
  ;; @str $fd_readdir "fd_readdir"
  ;; @str $fd_readdir_bytes_used "fd_readdir bytes used"
  ;; @str $fd_readdir_with_a_bad_out_pointer "fd_readdir with a bad out-pointer"
  ;; @str $sock_accept "sock_accept"
  ;; @str $sock_accept_fd "sock_accept fd"
  ;; @str $sock_recv "sock_recv"
  ;; @str $sock_recv_bytes_received "sock_recv bytes received"
  ;; @str $sock_recv_flags "sock_recv flags"
  ;; @str $sock_recv_writes_a_u16_flags_only "sock_recv writes a u16 flags only"
  ;; @str $sock_send "sock_send"
  ;; @str $sock_send_bytes_sent "sock_send bytes sent"
  ;; @str $sock_shutdown "sock_shutdown"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $check_eq (global.get $path_create_directory) (global.get $path_create_directory_len) (i32.const 58)
      (call $path_create_directory (i32.const 3) (global.get $etc) (global.get $etc_len)))
    (call $check_eq (global.get $path_filestat_get) (global.get $path_filestat_get_len) (i32.const 58)
      (call $path_filestat_get (i32.const 3) (i32.const 0) (global.get $etc) (global.get $etc_len) (i32.const 2048)))
    (call $check_eq (global.get $path_filestat_set_times) (global.get $path_filestat_set_times_len) (i32.const 58)
      (call $path_filestat_set_times (i32.const 3) (i32.const 0) (global.get $etc) (global.get $etc_len) (i64.const 1) (i64.const 2) (i32.const 0)))
    (call $check_eq (global.get $path_link) (global.get $path_link_len) (i32.const 58)
      (call $path_link (i32.const 3) (i32.const 0) (global.get $etc) (global.get $etc_len) (i32.const 3) (global.get $etc) (global.get $etc_len)))
    (i32.store (i32.const 2300) (i32.const -1))
    (call $check_eq (global.get $path_readlink) (global.get $path_readlink_len) (i32.const 58)
      (call $path_readlink (i32.const 3) (global.get $etc) (global.get $etc_len) (i32.const 2048) (i32.const 64) (i32.const 2300)))
    (call $check_eq (global.get $path_readlink_bytes_used) (global.get $path_readlink_bytes_used_len) (i32.const 0)
      (i32.load (i32.const 2300)))
    (call $check_eq (global.get $path_remove_directory) (global.get $path_remove_directory_len) (i32.const 58)
      (call $path_remove_directory (i32.const 3) (global.get $etc) (global.get $etc_len)))
    (call $check_eq (global.get $path_rename) (global.get $path_rename_len) (i32.const 58)
      (call $path_rename (i32.const 3) (global.get $etc) (global.get $etc_len) (i32.const 3) (global.get $etc) (global.get $etc_len)))
    (call $check_eq (global.get $path_symlink) (global.get $path_symlink_len) (i32.const 58)
      (call $path_symlink (global.get $etc) (global.get $etc_len) (i32.const 3) (global.get $etc) (global.get $etc_len)))
    (call $check_eq (global.get $path_unlink_file) (global.get $path_unlink_file_len) (i32.const 58)
      (call $path_unlink_file (i32.const 3) (global.get $etc) (global.get $etc_len)))
    (i32.store (i32.const 2300) (i32.const -1))
    (call $check_eq (global.get $fd_readdir) (global.get $fd_readdir_len) (i32.const 20)
      (call $fd_readdir (i32.const 3) (i32.const 2048) (i32.const 64) (i64.const 0) (i32.const 2300)))
    (call $check_eq (global.get $fd_readdir_bytes_used) (global.get $fd_readdir_bytes_used_len) (i32.const 0)
      (i32.load (i32.const 2300)))
    (call $check_eq (global.get $fd_readdir_with_a_bad_out_pointer) (global.get $fd_readdir_with_a_bad_out_pointer_len) (i32.const 21)
      (call $fd_readdir (i32.const 3) (i32.const 2048) (i32.const 64) (i64.const 0) (i32.const 262142)))
    (i32.store (i32.const 2300) (i32.const -1))
    (call $check_eq (global.get $sock_accept) (global.get $sock_accept_len) (i32.const 58)
      (call $sock_accept (i32.const 3) (i32.const 0) (i32.const 2300)))
    (call $check_eq (global.get $sock_accept_fd) (global.get $sock_accept_fd_len) (i32.const 0)
      (i32.load (i32.const 2300)))
    (i32.store (i32.const 2300) (i32.const -1))
    (i32.store (i32.const 2304) (i32.const -1))
    (call $check_eq (global.get $sock_recv) (global.get $sock_recv_len) (i32.const 58)
      (call $sock_recv (i32.const 3) (i32.const 2048) (i32.const 1) (i32.const 0) (i32.const 2300) (i32.const 2304)))
    (call $check_eq (global.get $sock_recv_bytes_received) (global.get $sock_recv_bytes_received_len) (i32.const 0)
      (i32.load (i32.const 2300)))
    (call $check_eq (global.get $sock_recv_flags) (global.get $sock_recv_flags_len) (i32.const 0)
      (i32.load16_u (i32.const 2304)))
    (call $check_eq (global.get $sock_recv_writes_a_u16_flags_only) (global.get $sock_recv_writes_a_u16_flags_only_len) (i32.const 65535)
      (i32.load16_u (i32.const 2306)))
    (i32.store (i32.const 2300) (i32.const -1))
    (call $check_eq (global.get $sock_send) (global.get $sock_send_len) (i32.const 58)
      (call $sock_send (i32.const 3) (i32.const 2048) (i32.const 1) (i32.const 0) (i32.const 2300)))
    (call $check_eq (global.get $sock_send_bytes_sent) (global.get $sock_send_bytes_sent_len) (i32.const 0)
      (i32.load (i32.const 2300)))
    (call $check_eq (global.get $sock_shutdown) (global.get $sock_shutdown_len) (i32.const 58)
      (call $sock_shutdown (i32.const 3) (i32.const 2)))
    (i32.const 1)))
