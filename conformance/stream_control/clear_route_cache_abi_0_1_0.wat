(module
;; @include base
  (import "env" "proxy_clear_route_cache" (func $clear (result i32)))
  (data (i32.const 16) "clear_route_cache")

  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (result i32)
    (call $check_eq (i32.const 16) (i32.const 17) (i32.const 0) (call $clear))
    (i32.const 0))
)
