//! Full Envoy bootstraps: where plugins are found, the typed_config forms, and errors.

mod common;

use common::{Scratch, assert_contains, bootstrap_with_http_filters};
use pwconf_config::{ConfigError, load_config, parse_config};

/// The filter entry of Envoy's Wasm tutorial, exactly as published there.
const TUTORIAL_FILTER: &str = r#"- name: envoy.filters.http.wasm
  typed_config:
    "@type": type.googleapis.com/udpa.type.v1.TypedStruct
    type_url: type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm
    value:
      config:
        vm_config:
          vm_id: "my_vm"
          runtime: "envoy.wasm.runtime.v8"
          configuration:
            "@type": type.googleapis.com/google.protobuf.StringValue
            value: '{"plugin-config": "some-value"}'
          code:
            local:
              filename: "my-plugin.wasm"
        configuration:
          "@type": type.googleapis.com/google.protobuf.StringValue
          value: '{"vm-wide-config": "some-value"}'
"#;

/// The same plugin without the TypedStruct wrapper.
const DIRECT_FILTER: &str = r#"- name: envoy.filters.http.wasm
  typed_config:
    "@type": type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm
    config:
      name: direct
      root_id: my_root
      vm_config:
        vm_id: "my_vm"
        runtime: "envoy.wasm.runtime.v8"
        code:
          local:
            filename: "my-plugin.wasm"
      configuration:
        "@type": type.googleapis.com/google.protobuf.StringValue
        value: '{"vm-wide-config": "some-value"}'
"#;

const PREFIX: &str = "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0]";

#[test]
fn tutorial_filter_loads_as_published() {
    let scratch = Scratch::new();
    let config = scratch
        .load(&bootstrap_with_http_filters(TUTORIAL_FILTER))
        .expect("tutorial loads");
    assert_eq!(config.http_filters.len(), 1, "the router is not a plugin");
    assert!(config.network_filters.is_empty());
    assert!(config.services.is_empty());
    assert_eq!(config.workers, None);
    assert_eq!(config.clusters, vec!["web_service".to_owned()]);
    // Its endpoint is where callouts the scenario does not script go.
    assert_eq!(
        config.cluster_addresses.get("web_service").map(String::as_str),
        Some("web:80")
    );

    let plugin = &config.http_filters[0];
    assert_eq!(plugin.name, "");
    assert_eq!(plugin.root_id, "");
    assert!(!plugin.fail_open);
    assert_eq!(plugin.configuration, br#"{"vm-wide-config": "some-value"}"#);
    assert_eq!(plugin.path, format!("{PREFIX}.typed_config.value.config"));

    let vm = &plugin.vm;
    assert_eq!(vm.vm_id, "my_vm");
    assert_eq!(vm.runtime, "envoy.wasm.runtime.v8");
    assert_eq!(vm.backend, "wasmtime");
    assert_eq!(vm.configuration, br#"{"plugin-config": "some-value"}"#);
    assert_eq!(*vm.code, scratch.module);
    assert_eq!(vm.code_sha256, common::sha256(&scratch.module));
    assert_eq!(
        vm.code_origin,
        scratch.path("my-plugin.wasm").display().to_string()
    );
    assert!(vm.environment.is_empty());
    assert!(!vm.allow_precompiled);
}

#[test]
fn xds_typed_struct_is_accepted_too() {
    let scratch = Scratch::new();
    let filter = TUTORIAL_FILTER.replace("udpa.type.v1.TypedStruct", "xds.type.v3.TypedStruct");
    let config = scratch
        .load(&bootstrap_with_http_filters(&filter))
        .expect("loads");
    assert_eq!(config.http_filters[0].vm.vm_id, "my_vm");
}

#[test]
fn direct_typed_config_loads() {
    let scratch = Scratch::new();
    let config = scratch
        .load(&bootstrap_with_http_filters(DIRECT_FILTER))
        .expect("loads");
    let plugin = &config.http_filters[0];
    assert_eq!(plugin.name, "direct");
    assert_eq!(plugin.root_id, "my_root");
    assert_eq!(plugin.vm.vm_id, "my_vm");
    assert_eq!(plugin.vm.backend, "wasmtime");
    assert_eq!(plugin.vm.configuration, b"");
    assert_eq!(plugin.configuration, br#"{"vm-wide-config": "some-value"}"#);
    assert_eq!(plugin.path, format!("{PREFIX}.typed_config.config"));
}

#[test]
fn plugins_are_flattened_in_file_order_and_share_code() {
    let scratch = Scratch::new();
    let two = format!(
        "{}{}",
        DIRECT_FILTER,
        TUTORIAL_FILTER.replace("envoy.wasm.runtime.v8", "envoy.wasm.runtime.wamr")
    );
    let config = scratch.load(&bootstrap_with_http_filters(&two)).expect("loads");
    let backends: Vec<_> = config
        .http_filters
        .iter()
        .map(|p| p.vm.backend.as_str())
        .collect();
    assert_eq!(backends, ["wasmtime", "wasmi"]);
    assert!(std::sync::Arc::ptr_eq(
        &config.http_filters[0].vm.code,
        &config.http_filters[1].vm.code
    ));
}

#[test]
fn network_filter_service_and_several_listeners() {
    let scratch = Scratch::new();
    let text = r#"
bootstrap_extensions:
- name: envoy.bootstrap.wasm
  typed_config:
    "@type": type.googleapis.com/envoy.extensions.wasm.v3.WasmService
    singleton: true
    config:
      name: service
      vm_config:
        runtime: envoy.wasm.runtime.null
        code: { local: { filename: my-plugin.wasm } }
- name: envoy.bootstrap.wasm
  typed_config:
    "@type": type.googleapis.com/xds.type.v3.TypedStruct
    type_url: type.googleapis.com/envoy.extensions.wasm.v3.WasmService
    value:
      config:
        name: per-worker
        vm_config:
          runtime: pwconf.wasmi
          code: { local: { filename: my-plugin.wasm } }
- name: envoy.bootstrap.internal_listener
  typed_config:
    "@type": type.googleapis.com/envoy.extensions.bootstrap.internal_listener.v3.InternalListener
static_resources:
  listeners:
  - name: tcp
    filter_chains:
    - filters:
      - name: envoy.filters.network.wasm
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm
          config:
            name: tcp-plugin
            fail_open: true
            vm_config:
              vm_id: tcp
              runtime: envoy.wasm.runtime.wasmtime
              code: { local: { filename: my-plugin.wasm } }
      - name: envoy.filters.network.tcp_proxy
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
          stat_prefix: tcp
          cluster: upstream
  - name: second
    default_filter_chain:
      filters:
      - name: envoy.filters.network.wasm
        typed_config:
          "@type": type.googleapis.com/udpa.type.v1.TypedStruct
          type_url: type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm
          value:
            config:
              name: default-chain
              failure_policy: FAIL_OPEN
              vm_config:
                runtime: wasmer
                code: { local: { filename: my-plugin.wasm } }
  clusters:
  - name: upstream
  - name: other
"#;
    let config = scratch.load(text).expect("loads");
    assert!(config.http_filters.is_empty());
    let network: Vec<_> = config
        .network_filters
        .iter()
        .map(|p| (p.name.as_str(), p.vm.backend.as_str(), p.fail_open))
        .collect();
    assert_eq!(
        network,
        [
            ("tcp-plugin", "wasmtime", true),
            ("default-chain", "wasmer", true)
        ]
    );
    assert_eq!(
        config.network_filters[1].path,
        "static_resources.listeners[1].default_filter_chain.filters[0].typed_config.value.config"
    );
    let services: Vec<_> = config
        .services
        .iter()
        .map(|s| (s.singleton, s.plugin.name.as_str(), s.plugin.vm.backend.as_str()))
        .collect();
    assert_eq!(
        services,
        [(true, "service", "wasmer"), (false, "per-worker", "wasmi")]
    );
    assert_eq!(
        config.services[0].plugin.path,
        "bootstrap_extensions[0].typed_config.config"
    );
    assert_eq!(config.clusters, ["upstream", "other"]);
}

#[test]
fn a_filter_is_wasm_by_its_type_url_whatever_its_name() {
    let scratch = Scratch::new();
    let filter = DIRECT_FILTER.replace("name: envoy.filters.http.wasm", "name: my-wasm-filter");
    let config = scratch
        .load(&bootstrap_with_http_filters(&filter))
        .expect("loads");
    assert_eq!(config.http_filters.len(), 1);
}

#[test]
fn typo_names_the_full_path() {
    let scratch = Scratch::new();
    let filter = TUTORIAL_FILTER.replace("runtime:", "runtme:");
    let message = scratch.error(&bootstrap_with_http_filters(&filter));
    let path = format!("{PREFIX}.typed_config.value.config.vm_config.runtme");
    assert!(
        message.starts_with(&format!(
            "{}: {path}: unknown field `runtme`, expected one of",
            scratch.path("envoy.yaml").display()
        )),
        "{message}"
    );
}

#[test]
fn wrong_type_names_the_full_path() {
    let scratch = Scratch::new();
    let filter = DIRECT_FILTER.replace("root_id: my_root", "fail_open: \"yes\"");
    let message = scratch.error(&bootstrap_with_http_filters(&filter));
    let path = format!("{PREFIX}.typed_config.config.fail_open");
    assert_contains(
        &message,
        &format!(": {path}: invalid type: string \"yes\", expected a boolean"),
    );
}

#[test]
fn unknown_field_in_wrapper_and_filter_entry() {
    let scratch = Scratch::new();
    let filter = TUTORIAL_FILTER.replace("    value:\n", "    valu: {}\n    value:\n");
    let message = scratch.error(&bootstrap_with_http_filters(&filter));
    assert_contains(
        &message,
        &format!("{PREFIX}.typed_config.valu: unknown field `valu`"),
    );

    let filter = DIRECT_FILTER.replace("  typed_config:\n", "  typed_confg: {}\n  typed_config:\n");
    let message = scratch.error(&bootstrap_with_http_filters(&filter));
    assert_contains(
        &message,
        &format!("{PREFIX}.typed_confg: unknown field `typed_confg`"),
    );

    let filter = DIRECT_FILTER.replace("      name: direct\n", "      name: direct\n      extra: 1\n");
    let message = scratch.error(&bootstrap_with_http_filters(&filter));
    assert_contains(
        &message,
        &format!("{PREFIX}.typed_config.config.extra: unknown field `extra`"),
    );
}

#[test]
fn wrong_type_urls_are_errors() {
    let scratch = Scratch::new();
    let filter = TUTORIAL_FILTER.replace(
        "type_url: type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
        "type_url: type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm",
    );
    let message = scratch.error(&bootstrap_with_http_filters(&filter));
    assert_contains(
        &message,
        &format!("{PREFIX}.typed_config.type_url: wrong type URL"),
    );

    let filter = DIRECT_FILTER.replace("filters.http.wasm.v3.Wasm", "filters.http.lua.v3.Lua");
    let message = scratch.error(&bootstrap_with_http_filters(&filter));
    assert_contains(&message, &format!("{PREFIX}.typed_config.@type: wrong type"));

    let filter = DIRECT_FILTER.replace(
        "    \"@type\": type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm\n",
        "",
    );
    let message = scratch.error(&bootstrap_with_http_filters(&filter));
    assert_contains(&message, &format!("{PREFIX}.typed_config: missing field `@type`"));
}

#[test]
fn filters_in_the_wrong_place_are_errors() {
    let scratch = Scratch::new();
    let filter = DIRECT_FILTER
        .replace("envoy.filters.http.wasm", "envoy.filters.network.wasm")
        .replace("filters.http.wasm.v3", "filters.network.wasm.v3");
    let message = scratch.error(&bootstrap_with_http_filters(&filter));
    assert_contains(
        &message,
        &format!("{PREFIX}: `envoy.filters.network.wasm` is a network filter"),
    );

    let text = r#"
static_resources:
  listeners:
  - filter_chains:
    - filters:
      - name: envoy.filters.http.wasm
        typed_config: {}
"#;
    let message = scratch.error(text);
    assert_contains(
        &message,
        "static_resources.listeners[0].filter_chains[0].filters[0]: `envoy.filters.http.wasm` is an HTTP filter",
    );
}

#[test]
fn ecds_is_refused_clearly() {
    let scratch = Scratch::new();
    let filter = "- name: envoy.filters.http.wasm\n  config_discovery:\n    config_source: { ads: {} }\n";
    let message = scratch.error(&bootstrap_with_http_filters(filter));
    assert_contains(
        &message,
        &format!("{PREFIX}.config_discovery: extension config discovery (ECDS) is not supported"),
    );
}

#[test]
fn duplicate_http_plugin_names_are_errors() {
    let scratch = Scratch::new();
    let two = format!("{DIRECT_FILTER}{DIRECT_FILTER}");
    let message = scratch.error(&bootstrap_with_http_filters(&two));
    assert_contains(
        &message,
        "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[1].typed_config.config.name: duplicate HTTP plugin name `direct`",
    );
}

#[test]
fn unknown_top_level_key_is_named() {
    let scratch = Scratch::new();
    let text = format!(
        "{}statics_resources: {{}}\n",
        bootstrap_with_http_filters(DIRECT_FILTER)
    );
    let message = scratch.error(&text);
    assert_contains(
        &message,
        ": statics_resources: unknown top-level key `statics_resources`: neither a field of Envoy's Bootstrap",
    );

    let text = bootstrap_with_http_filters(DIRECT_FILTER).replace("  clusters:\n", "  cluster:\n");
    let message = scratch.error(&text);
    assert_contains(&message, ": static_resources.cluster: unknown field `cluster`");
}

#[test]
fn common_bootstrap_sections_are_accepted_and_ignored() {
    let scratch = Scratch::new();
    let text = format!(
        "{}{}",
        bootstrap_with_http_filters(DIRECT_FILTER),
        r#"node: { id: n1, cluster: c1 }
layered_runtime:
  layers:
  - name: static
    static_layer: {}
stats_config: {}
overload_manager: {}
cluster_manager: {}
dynamic_resources: {}
watchdogs: {}
stats_sinks: []
"#
    );
    let config = scratch.load(&text).expect("loads");
    assert_eq!(config.http_filters.len(), 1);
}

#[test]
fn a_bootstrap_without_wasm_is_an_error_but_an_empty_file_is_not() {
    let scratch = Scratch::new();
    let message = scratch.error(&bootstrap_with_http_filters(""));
    assert_contains(&message, ": .: no Wasm plugin found");

    for empty in ["", "# nothing\n", "{}\n", "---\n"] {
        let config = scratch.load(empty).expect("empty config loads");
        assert_eq!(config, Default::default());
    }
}

#[test]
fn structural_type_errors_are_named() {
    let scratch = Scratch::new();
    let message = scratch.error("static_resources:\n  listeners: {}\n");
    assert_contains(
        &message,
        ": static_resources.listeners: expected a list, found a mapping",
    );
    let message = scratch.error("- a\n- b\n");
    assert_contains(&message, ": .: expected a mapping");
    let message = scratch.error("static_resources:\n  clusters:\n  - type: STATIC\n");
    assert_contains(&message, ": static_resources.clusters[0]: missing field `name`");
}

#[test]
fn missing_and_unreadable_files() {
    let scratch = Scratch::new();
    let missing = scratch.path("nope.yaml");
    let err = load_config(&missing, &pwconf_engines::load_options()).expect_err("missing");
    assert!(matches!(err, ConfigError::Read { .. }));
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}: cannot read the file:", missing.display())),
        "{message}"
    );

    let binary = scratch.path("binary.yaml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).expect("write");
    let err = load_config(&binary, &pwconf_engines::load_options()).expect_err("not utf-8");
    assert!(err.to_string().contains("not UTF-8"), "{err}");

    let err = load_config(scratch.dir.path(), &pwconf_engines::load_options()).expect_err("a folder");
    assert!(matches!(err, ConfigError::Read { .. }), "{err}");
}

#[test]
fn yaml_syntax_errors_have_line_and_column() {
    let scratch = Scratch::new();
    let err = parse_config(
        "static_resources:\n  listeners: [\n    - a\n  b: c\n",
        "bad.yaml",
        scratch.dir.path(),
        &pwconf_engines::load_options(),
    )
    .expect_err("syntax");
    let ConfigError::Syntax { line, column, .. } = &err else {
        panic!("not a syntax error: {err}");
    };
    assert!(*line > 0 && *column > 0, "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "bad.yaml: line {line} column {column}: YAML syntax error: "
        )),
        "{message}"
    );
    assert!(!message.contains('\n'));

    let message = scratch.error("a: 1\na: 2\n");
    assert_contains(&message, "YAML syntax error");
    assert_contains(&message, "duplicate");
}

#[test]
fn yaml_merge_keys_are_applied() {
    let scratch = Scratch::new();
    let text = r#"
http_filters:
- name: a
  vm_config: &vm
    runtime: envoy.wasm.runtime.v8
    code: { local: { filename: my-plugin.wasm } }
- name: b
  vm_config:
    <<: *vm
    vm_id: merged
"#;
    let config = scratch.load(text).expect("loads");
    assert_eq!(config.http_filters[1].vm.vm_id, "merged");
    assert_eq!(config.http_filters[1].vm.backend, "wasmtime");
}
