(module
;; @include base
  (import "env" "proxy_get_property" (func $get_property (param i32 i32 i32 i32) (result i32)))
  ;; paths
  ;; @str $request_path "request\00path"
  ;; @str $request_url_path "request\00url_path"
  ;; @str $request_query "request\00query"
  ;; @str $request_host "request\00host"
  ;; @str $request_scheme "request\00scheme"
  ;; @str $request_method "request\00method"
  ;; @str $request_id "request\00id"
  ;; @str $request_referer "request\00referer"
  ;; @str $request_useragent "request\00useragent"
  ;; @str $request_protocol "request\00protocol"
  ;; expected values
  ;; @str $search_q_wasm_x_1 "/search?q=wasm&x=1"
  ;; @str $search "/search"
  ;; @str $q_wasm_x_1 "q=wasm&x=1"
  ;; @str $example_com "example.com"
  ;; @str $https "https"
  ;; @str $post "POST"
  ;; @str $req_0042 "req-0042"
  ;; @str $https_ref_example_page "https://ref.example/page"
  ;; @str $pwconf_agent_1_0 "pwconf-agent/1.0"
  ;; what
  ;; @str $request_path_2 "request.path"
  ;; @str $request_url_path_2 "request.url_path"
  ;; @str $request_query_2 "request.query"
  ;; @str $request_host_2 "request.host"
  ;; @str $request_scheme_2 "request.scheme"
  ;; @str $request_method_2 "request.method"
  ;; @str $request_id_2 "request.id"
  ;; @str $request_referer_2 "request.referer"
  ;; @str $request_useragent_2 "request.useragent"
  ;; @str $request_protocol_status "request.protocol status"
  ;; reads a property and checks status OK, length and bytes
  (func $expect (param $path i32) (param $path_len i32) (param $value i32) (param $value_len i32)
                (param $what i32) (param $what_len i32)
    (local $status i32)
    (local.set $status
      (call $get_property (local.get $path) (local.get $path_len) (i32.const 2048) (i32.const 2052)))
    (call $check_eq (local.get $what) (local.get $what_len) (i32.const 0) (local.get $status))
    (if (local.get $status) (then (return)))
    (call $check_eq (local.get $what) (local.get $what_len) (local.get $value_len) (i32.load (i32.const 2052)))
    (call $check_bytes (local.get $what) (local.get $what_len)
      (i32.load (i32.const 2048)) (local.get $value) (local.get $value_len)))
  (func $attributes
    (call $expect (global.get $request_path) (global.get $request_path_len) (global.get $search_q_wasm_x_1) (global.get $search_q_wasm_x_1_len) (global.get $request_path_2) (global.get $request_path_2_len))
    (call $expect (global.get $request_url_path) (global.get $request_url_path_len) (global.get $search) (global.get $search_len) (global.get $request_url_path_2) (global.get $request_url_path_2_len))
    (call $expect (global.get $request_query) (global.get $request_query_len) (global.get $q_wasm_x_1) (global.get $q_wasm_x_1_len) (global.get $request_query_2) (global.get $request_query_2_len))
    (call $expect (global.get $request_host) (global.get $request_host_len) (global.get $example_com) (global.get $example_com_len) (global.get $request_host_2) (global.get $request_host_2_len))
    (call $expect (global.get $request_scheme) (global.get $request_scheme_len) (global.get $https) (global.get $https_len) (global.get $request_scheme_2) (global.get $request_scheme_2_len))
    (call $expect (global.get $request_method) (global.get $request_method_len) (global.get $post) (global.get $post_len) (global.get $request_method_2) (global.get $request_method_2_len))
    (call $expect (global.get $request_id) (global.get $request_id_len) (global.get $req_0042) (global.get $req_0042_len) (global.get $request_id_2) (global.get $request_id_2_len))
    (call $expect (global.get $request_referer) (global.get $request_referer_len) (global.get $https_ref_example_page) (global.get $https_ref_example_page_len) (global.get $request_referer_2) (global.get $request_referer_2_len))
    (call $expect (global.get $request_useragent) (global.get $request_useragent_len) (global.get $pwconf_agent_1_0) (global.get $pwconf_agent_1_0_len) (global.get $request_useragent_2) (global.get $request_useragent_2_len))
    (call $check_eq (global.get $request_protocol_status) (global.get $request_protocol_status_len) (i32.const 0)
      (call $get_property (global.get $request_protocol) (global.get $request_protocol_len) (i32.const 2048) (i32.const 2052))))
  (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
    (call $attributes)
    (i32.const 0))
  (func (export "proxy_on_log") (param i32)
    (call $attributes)))
