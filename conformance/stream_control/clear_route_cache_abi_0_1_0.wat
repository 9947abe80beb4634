(module
;; @include base
  (import "env" "proxy_clear_route_cache" (func $clear (result i32)))
  ;; @str $clear_route_cache "clear_route_cache"

  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (global.get $clear_route_cache) (global.get $clear_route_cache_len) (i32.const 0) (call $clear))
    (i32.const 0))
)
