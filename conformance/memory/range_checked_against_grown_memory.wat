(module
;; @include base
  ;; @str $grown_page_message "grown-page message"
  ;; @str $proxy_log_in_a_page_not_yet "proxy_log in a page not yet grown"
  ;; @str $memory_grow_result "memory.grow result"
  ;; @str $proxy_log_in_the_page_grown "proxy_log in the page grown since the last call"
  ;; @str $proxy_log_past_the_grown "proxy_log past the grown memory"
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    ;; memory is 4 pages; 262144 + 256 lies in page 5
    (call $check_eq (global.get $proxy_log_in_a_page_not_yet) (global.get $proxy_log_in_a_page_not_yet_len) (i32.const 6)
      (call $pwconf_log (i32.const 2) (i32.const 262400) (i32.const 18)))
    (i32.const 1))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $check_eq (global.get $memory_grow_result) (global.get $memory_grow_result_len) (i32.const 4) (memory.grow (i32.const 1)))
    (memory.copy (i32.const 262400) (global.get $grown_page_message) (global.get $grown_page_message_len))
    (call $check_eq (global.get $proxy_log_in_the_page_grown) (global.get $proxy_log_in_the_page_grown_len) (i32.const 0)
      (call $pwconf_log (i32.const 2) (i32.const 262400) (i32.const 18)))
    (call $check_eq (global.get $proxy_log_past_the_grown) (global.get $proxy_log_past_the_grown_len) (i32.const 6)
      (call $pwconf_log (i32.const 2) (i32.const 327670) (i32.const 18)))
    (i32.const 0)))
