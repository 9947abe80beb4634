(module
;; @include base
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_remove_header_map_value" (func $remove (param i32 i32 i32) (result i32)))
  ;; @str $x_added "x-added"
  ;; @str $a "a"
  ;; @str $path ":path"
  ;; @str $rewritten "/rewritten"
  ;; @str $x_drop "x-drop"
  ;; @str $x_resp "x-resp"
  ;; @str $r "r"
  ;; @str $x_server "x-server"
  ;; @str $wasm "wasm"
  ;; @str $x_internal "x-internal"
  ;; @str $request_add_header_map_value "request: add_header_map_value"
  ;; @str $request_replace_header_map "request: replace_header_map_value"
  ;; @str $request_remove_header_map "request: remove_header_map_value"
  ;; @str $response_add_header_map "response: add_header_map_value"
  ;; @str $response_replace_header_map "response: replace_header_map_value"
  ;; @str $response_remove_header_map "response: remove_header_map_value"
  (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $request_add_header_map_value) (global.get $request_add_header_map_value_len) (i32.const 0)
      (call $add (i32.const 0) (global.get $x_added) (global.get $x_added_len) (global.get $a) (global.get $a_len)))
    (call $check_eq (global.get $request_replace_header_map) (global.get $request_replace_header_map_len) (i32.const 0)
      (call $replace (i32.const 0) (global.get $path) (global.get $path_len) (global.get $rewritten) (global.get $rewritten_len)))
    (call $check_eq (global.get $request_remove_header_map) (global.get $request_remove_header_map_len) (i32.const 0)
      (call $remove (i32.const 0) (global.get $x_drop) (global.get $x_drop_len)))
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
    (call $check_eq (global.get $response_add_header_map) (global.get $response_add_header_map_len) (i32.const 0)
      (call $add (i32.const 2) (global.get $x_resp) (global.get $x_resp_len) (global.get $r) (global.get $r_len)))
    (call $check_eq (global.get $response_replace_header_map) (global.get $response_replace_header_map_len) (i32.const 0)
      (call $replace (i32.const 2) (global.get $x_server) (global.get $x_server_len) (global.get $wasm) (global.get $wasm_len)))
    (call $check_eq (global.get $response_remove_header_map) (global.get $response_remove_header_map_len) (i32.const 0)
      (call $remove (i32.const 2) (global.get $x_internal) (global.get $x_internal_len)))
    (i32.const 0)))
