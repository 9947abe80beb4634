//! The short form, and the PluginConfig / VmConfig fields: runtimes, code sources,
//! configuration bytes, failure policy, environment.

mod common;

use common::{Scratch, assert_contains, short_form_vm};
use std::time::Duration;

use pwconf_config::parse_config;

const LOCAL_CODE: &str = "code: { local: { filename: my-plugin.wasm } }";

#[test]
fn short_form_loads() {
    let scratch = Scratch::new();
    let text = format!(
        r#"
workers: 4
clusters: [web, auth]
http_filters:
- name: first
  root_id: r1
  vm_config: {{ vm_id: v, runtime: pwconf.wasmtime, {LOCAL_CODE} }}
  configuration: hello
- name: second
  vm_config: {{ runtime: wasmi, {LOCAL_CODE} }}
network_filters:
- name: tcp
  fail_open: true
  vm_config: {{ runtime: wasmer, {LOCAL_CODE}, allow_precompiled: true, nack_on_code_cache_miss: true }}
services:
- singleton: true
  config:
    name: svc
    vm_config: {{ runtime: envoy.wasm.runtime.v8, {LOCAL_CODE} }}
- config:
    name: per-worker
    vm_config: {{ runtime: envoy.wasm.runtime.v8, {LOCAL_CODE} }}
"#
    );
    let config = scratch.load(&text).expect("loads");
    assert_eq!(config.workers, Some(4));
    assert_eq!(config.clusters, ["web", "auth"]);
    let http: Vec<_> = config
        .http_filters
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.root_id.as_str(),
                p.vm.backend.as_str(),
                p.path.as_str(),
            )
        })
        .collect();
    assert_eq!(
        http,
        [
            ("first", "r1", "wasmtime", "http_filters[0]"),
            ("second", "", "wasmi", "http_filters[1]")
        ]
    );
    assert_eq!(config.http_filters[0].configuration, b"hello");
    assert_eq!(config.http_filters[0].vm.vm_id, "v");
    let tcp = &config.network_filters[0];
    assert_eq!(
        (tcp.name.as_str(), tcp.fail_open, tcp.vm.allow_precompiled),
        ("tcp", true, true)
    );
    assert_eq!(tcp.vm.backend, "wasmer");
    assert_eq!(tcp.path, "network_filters[0]");
    let services: Vec<_> = config
        .services
        .iter()
        .map(|s| (s.singleton, s.plugin.name.as_str(), s.plugin.path.as_str()))
        .collect();
    assert_eq!(
        services,
        [
            (true, "svc", "services[0].config"),
            (false, "per-worker", "services[1].config")
        ]
    );
}

#[test]
fn short_form_without_plugins_is_fine() {
    let scratch = Scratch::new();
    let config = scratch.load("workers: 2\nhttp_filters: []\n").expect("loads");
    assert_eq!(config.workers, Some(2));
    assert!(config.http_filters.is_empty());
}

#[test]
fn short_form_errors() {
    let scratch = Scratch::new();
    let message = scratch.error("workers: 0\n");
    assert_contains(&message, ": workers: must be at least 1");
    let message = scratch.error("workers: -1\n");
    assert_contains(&message, ": workers: invalid value");
    let message = scratch.error("workers: 2\nstatic_resources: {}\n");
    assert_contains(&message, ": static_resources: unknown field `static_resources`");
    let message = scratch.error("clusters: [a, a]\n");
    assert_contains(&message, ": clusters[1]: cluster `a` is defined twice");
    let message = scratch.error(&format!(
        "services:\n- singelton: true\n  config: {{ vm_config: {{ runtime: wasmi, {LOCAL_CODE} }} }}\n"
    ));
    assert_contains(&message, ": services[0].singelton: unknown field `singelton`");
    let message = scratch.error("http_filters:\n- name: p\n");
    assert_contains(&message, ": http_filters[0]: missing field `vm_config`");
    let message = scratch.error(&short_form_vm("runtime: wasmi"));
    assert_contains(&message, ": http_filters[0].vm_config: missing field `code`");
    let message = scratch.error(&short_form_vm(LOCAL_CODE));
    assert_contains(&message, ": http_filters[0].vm_config: missing field `runtime`");
}

#[test]
fn every_runtime_name_maps_to_its_backend() {
    let scratch = Scratch::new();
    let expected = [
        ("envoy.wasm.runtime.v8", "wasmtime"),
        ("envoy.wasm.runtime.wasmtime", "wasmtime"),
        ("envoy.wasm.runtime.null", "wasmer"),
        ("envoy.wasm.runtime.wamr", "wasmi"),
        ("pwconf.wasmtime", "wasmtime"),
        ("pwconf.wasmer", "wasmer"),
        ("pwconf.wasmi", "wasmi"),
        ("wasmtime", "wasmtime"),
        ("wasmer", "wasmer"),
        ("wasmi", "wasmi"),
    ];
    // The names come from each engine's registration (`envoy_runtimes`) plus pwconf's own.
    let registered = pwconf_engines::runtime_names();
    let registered: Vec<(&str, &str)> = registered.iter().map(|(n, b)| (n.as_str(), b.as_str())).collect();
    assert_eq!(registered, expected.as_slice());
    for (runtime, backend) in expected {
        let text = short_form_vm(&format!("runtime: {runtime}\n{LOCAL_CODE}"));
        let config = scratch.load(&text).expect(runtime);
        assert_eq!(config.http_filters[0].vm.runtime, runtime);
        assert_eq!(config.http_filters[0].vm.backend, backend, "{runtime}");
    }
}

#[test]
fn unknown_runtime_lists_the_accepted_names() {
    let scratch = Scratch::new();
    let message = scratch.error(&short_form_vm(&format!(
        "runtime: envoy.wasm.runtime.wavm\n{LOCAL_CODE}"
    )));
    assert_contains(
        &message,
        ": http_filters[0].vm_config.runtime: unknown runtime `envoy.wasm.runtime.wavm`, expected one of `envoy.wasm.runtime.v8`,",
    );
    for (name, _) in pwconf_engines::runtime_names() {
        assert_contains(&message, &format!("`{name}`"));
    }
}

#[test]
fn environment_variables() {
    let scratch = Scratch::new();
    let key = format!("PWCONF_CONFIG_TEST_{}", std::process::id());
    let unset = format!("PWCONF_CONFIG_TEST_UNSET_{}", std::process::id());
    // SAFETY: the name is unique to this test, and everything in this test binary reaches
    // the environment through std, whose environment functions share one lock.
    unsafe { std::env::set_var(&key, "from-host") };
    let text = short_form_vm(&format!(
        "runtime: wasmi\n{LOCAL_CODE}\nenvironment_variables:\n  host_env_keys: [{key}, {unset}]\n  key_values: {{ zeta: z, alpha: a }}"
    ));
    let config = scratch.load(&text).expect("loads");
    let expected = {
        let mut env = vec![
            (key.clone(), "from-host".to_owned()),
            ("alpha".to_owned(), "a".to_owned()),
            ("zeta".to_owned(), "z".to_owned()),
        ];
        env.sort();
        env
    };
    assert_eq!(config.http_filters[0].vm.environment, expected);

    let text = short_form_vm(&format!(
        "runtime: wasmi\n{LOCAL_CODE}\nenvironment_variables:\n  host_env_keys: [alpha]\n  key_values: {{ alpha: a }}"
    ));
    let message = scratch.error(&text);
    assert_contains(
        &message,
        ": http_filters[0].vm_config.environment_variables.host_env_keys[0]: environment variable `alpha` is given twice",
    );

    let text = short_form_vm(&format!(
        "runtime: wasmi\n{LOCAL_CODE}\nenvironment_variables:\n  key_values: {{ alpha: 1 }}"
    ));
    let message = scratch.error(&text);
    assert_contains(
        &message,
        ": http_filters[0].vm_config.environment_variables.key_values.alpha: invalid type: integer `1`, expected a string",
    );

    let text = short_form_vm(&format!(
        "runtime: wasmi\n{LOCAL_CODE}\nenvironment_variables:\n  host_env_keys: [\"A=B\"]"
    ));
    let message = scratch.error(&text);
    assert_contains(
        &message,
        "host_env_keys[0]: environment variable name `A=B` cannot contain `=` or NUL",
    );
}

#[test]
fn inline_string_wat_is_compiled() {
    let scratch = Scratch::new();
    let text = short_form_vm(
        "runtime: wasmi\ncode:\n  local:\n    inline_string: |\n      ;; a comment first\n      (module (func (export \"f\")))",
    );
    let config = scratch.load(&text).expect("loads");
    let vm = &config.http_filters[0].vm;
    let expected = wat::parse_str("(module (func (export \"f\")))").expect("wat");
    assert_eq!(*vm.code, expected);
    assert_eq!(vm.code_origin, "inline");
    assert_eq!(vm.code_sha256, common::sha256(&expected));
}

#[test]
fn inline_string_errors() {
    let scratch = Scratch::new();
    let text = short_form_vm("runtime: wasmi\ncode: { local: { inline_string: \"(module (func (export \" }}");
    let message = scratch.error(&text);
    assert_contains(
        &message,
        ": http_filters[0].vm_config.code.local.inline_string: invalid WAT: ",
    );
    assert_contains(&message, "(at line 1 column ");

    let text = short_form_vm("runtime: wasmi\ncode: { local: { inline_string: \"hello\" }}");
    let message = scratch.error(&text);
    assert_contains(
        &message,
        ": http_filters[0].vm_config.code.local.inline_string: not a Wasm module",
    );

    let text = short_form_vm("runtime: wasmi\ncode: { local: { inline_string: \"\" }}");
    let message = scratch.error(&text);
    assert_contains(&message, "inline_string: the code is empty");
}

#[test]
fn inline_bytes_are_base64() {
    let scratch = Scratch::new();
    // base64 of "\0asm\x01\0\0\0", the empty module.
    let text = short_form_vm("runtime: wasmi\ncode: { local: { inline_bytes: AGFzbQEAAAA= } }");
    let config = scratch.load(&text).expect("loads");
    assert_eq!(*config.http_filters[0].vm.code, scratch.module);
    assert_eq!(config.http_filters[0].vm.code_origin, "inline");

    let text = short_form_vm("runtime: wasmi\ncode: { local: { inline_bytes: \"AGFz*bQ\" } }");
    let message = scratch.error(&text);
    assert_contains(
        &message,
        ": http_filters[0].vm_config.code.local.inline_bytes: invalid base64",
    );
}

#[test]
fn wat_files_are_compiled_and_bad_files_named() {
    let scratch = Scratch::new();
    std::fs::write(scratch.path("f.wat"), "(module (memory 1))").expect("write");
    let text = short_form_vm("runtime: wasmi\ncode: { local: { filename: f.wat } }");
    let config = scratch.load(&text).expect("loads");
    assert_eq!(
        *config.http_filters[0].vm.code,
        wat::parse_str("(module (memory 1))").expect("wat")
    );

    std::fs::write(scratch.path("bad.wat"), "(module\n  (memory oops))").expect("write");
    let text = short_form_vm("runtime: wasmi\ncode: { local: { filename: bad.wat } }");
    let message = scratch.error(&text);
    assert_contains(
        &message,
        ": http_filters[0].vm_config.code.local.filename: invalid WAT in ",
    );
    assert_contains(&message, "(at line 2 column");

    let text = short_form_vm("runtime: wasmi\ncode: { local: { filename: missing.wasm } }");
    let message = scratch.error(&text);
    assert_contains(
        &message,
        ": http_filters[0].vm_config.code.local.filename: cannot read ",
    );
    assert_contains(&message, "missing.wasm");

    std::fs::write(scratch.path("junk.wasm"), "junk").expect("write");
    let text = short_form_vm("runtime: wasmi\ncode: { local: { filename: junk.wasm } }");
    let message = scratch.error(&text);
    assert_contains(&message, "filename: not a Wasm module");

    // An absolute file name is used as it is.
    let absolute = scratch.path("my-plugin.wasm").display().to_string();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let config = parse_config(
        &short_form_vm(&format!(
            "runtime: wasmi\ncode: {{ local: {{ filename: '{absolute}' }} }}"
        )),
        "inline.yaml",
        elsewhere.path(),
        &pwconf_engines::load_options(),
    )
    .expect("loads");
    assert_eq!(config.http_filters[0].vm.code_origin, absolute);
}

#[test]
fn code_source_shape_errors() {
    let scratch = Scratch::new();
    let cases = [
        (
            "code: {}",
            "http_filters[0].vm_config.code: missing `local` or `remote`",
        ),
        (
            "code: { local: { filename: a }, remote: { http_uri: { uri: 'http://x', timeout: 1s }, sha256: '' } }",
            "http_filters[0].vm_config.code: give either `local` or `remote`, not both",
        ),
        (
            "code: { local: { filename: a, inline_string: b } }",
            "http_filters[0].vm_config.code.local: give exactly one of",
        ),
        (
            "code: { local: { environment_variable: X } }",
            "http_filters[0].vm_config.code.local.environment_variable: `environment_variable` is not supported",
        ),
        (
            "code: { local: { file_name: a } }",
            "http_filters[0].vm_config.code.local.file_name: unknown field `file_name`",
        ),
    ];
    for (code, expected) in cases {
        let message = scratch.error(&short_form_vm(&format!("runtime: wasmi\n{code}")));
        assert!(message.contains(expected), "{code}: {message}");
    }
}

#[test]
fn configuration_forms() {
    let scratch = Scratch::new();
    let cases: &[(&str, &[u8])] = &[
        ("", b""),
        ("configuration: plain text", b"plain text"),
        (
            "configuration: { '@type': type.googleapis.com/google.protobuf.StringValue, value: '{\"a\": 1}' }",
            b"{\"a\": 1}",
        ),
        (
            "configuration: { '@type': type.googleapis.com/google.protobuf.BytesValue, value: aGVsbG8= }",
            b"hello",
        ),
        (
            "configuration: { b: 1, a: [x, true] }",
            b"{\"b\":1,\"a\":[\"x\",true]}",
        ),
        ("configuration: [1, 2]", b"[1,2]"),
        ("configuration: 42", b"42"),
        ("configuration: false", b"false"),
        (
            "configuration: { '@type': type.googleapis.com/google.protobuf.Struct, value: { k: v } }",
            b"{\"@type\":\"type.googleapis.com/google.protobuf.Struct\",\"value\":{\"k\":\"v\"}}",
        ),
    ];
    for (line, expected) in cases {
        // The same line sets the plugin's and the VM's configuration.
        let text = format!(
            "http_filters:\n- {line}\n  vm_config:\n    runtime: wasmi\n    {LOCAL_CODE}\n    {line}\n"
        );
        let config = scratch.load(&text).expect(line);
        assert_eq!(config.http_filters[0].configuration, *expected, "plugin {line}");
        assert_eq!(config.http_filters[0].vm.configuration, *expected, "vm {line}");
    }
    let message = scratch.error(&format!(
        "http_filters:\n- configuration: {{ '@type': type.googleapis.com/google.protobuf.StringValue, value: [1] }}\n  vm_config: {{ runtime: wasmi, {LOCAL_CODE} }}\n"
    ));
    assert_contains(
        &message,
        ": http_filters[0].configuration.value: invalid type: list, expected a string",
    );
}

#[test]
fn failure_policy() {
    let scratch = Scratch::new();
    let cases = [
        ("", false),
        ("fail_open: true", true),
        ("fail_open: false", false),
        ("failure_policy: FAIL_OPEN", true),
        ("failure_policy: FAIL_CLOSED", false),
        ("failure_policy: FAIL_RELOAD", false),
    ];
    for (line, open) in cases {
        let text = format!("http_filters:\n- vm_config: {{ runtime: wasmi, {LOCAL_CODE} }}\n  {line}\n");
        let config = scratch.load(&text).expect(line);
        assert_eq!(config.http_filters[0].fail_open, open, "{line}");
    }
    let message = scratch.error(&format!(
        "http_filters:\n- vm_config: {{ runtime: wasmi, {LOCAL_CODE} }}\n  fail_open: true\n  failure_policy: FAIL_OPEN\n"
    ));
    assert_contains(
        &message,
        ": http_filters[0]: give either `fail_open` or `failure_policy`, not both",
    );
    let message = scratch.error(&format!(
        "http_filters:\n- vm_config: {{ runtime: wasmi, {LOCAL_CODE} }}\n  failure_policy: FAIL_SOMETIMES\n"
    ));
    assert_contains(
        &message,
        ": http_filters[0].failure_policy: unknown variant `FAIL_SOMETIMES`",
    );
}

#[test]
fn fail_reload_backoff() {
    let scratch = Scratch::new();
    let plugin = |extra: &str| {
        format!(
            "http_filters:\n- vm_config: {{ runtime: wasmi, {LOCAL_CODE} }}\n  failure_policy: FAIL_RELOAD\n{extra}"
        )
    };
    let reload = |text: &str| scratch.load(text).expect("loads").http_filters[0].reload;
    // Envoy's defaults: 1 s, at most ten times that.
    let default = reload(&plugin("")).expect("FAIL_RELOAD has a reload policy");
    assert_eq!(
        (default.base_interval, default.max_interval),
        (Duration::from_secs(1), Duration::from_secs(10))
    );
    let set = reload(&plugin(
        "  reload_config: { backoff: { base_interval: 0.25s, max_interval: 2s } }\n",
    ))
    .expect("reload policy");
    assert_eq!(
        (set.base_interval, set.max_interval),
        (Duration::from_millis(250), Duration::from_secs(2))
    );
    // Without FAIL_RELOAD the reload configuration is accepted and unused, as in Envoy.
    let text = format!(
        "http_filters:\n- vm_config: {{ runtime: wasmi, {LOCAL_CODE} }}\n  reload_config: {{ backoff: {{ base_interval: 1s }} }}\n"
    );
    assert_eq!(reload(&text), None);
    let message = scratch.error(&plugin(
        "  reload_config: { backoff: { base_interval: 2s, max_interval: 1s } }\n",
    ));
    assert_contains(
        &message,
        ": http_filters[0].reload_config.backoff.max_interval: must not be less than base_interval",
    );
}

#[test]
fn accepted_and_ignored_fields() {
    let scratch = Scratch::new();
    let text = format!(
        r#"http_filters:
- name: p
  allow_on_headers_stop_iteration: true
  capability_restriction_config:
    allowed_capabilities:
      proxy_log: {{}}
  vm_config:
    runtime: wasmi
    {LOCAL_CODE}
    nack_on_code_cache_miss: true
"#
    );
    scratch.load(&text).expect("loads");
    let message = scratch.error(&format!(
        "http_filters:\n- capability_restriction_config: [a]\n  vm_config: {{ runtime: wasmi, {LOCAL_CODE} }}\n"
    ));
    assert_contains(
        &message,
        ": http_filters[0].capability_restriction_config: invalid type: sequence, expected a YAML mapping",
    );
}

#[test]
fn clusters_by_name_or_with_an_endpoint() {
    let scratch = Scratch::new();
    let config = scratch
        .load("clusters: [web, {name: api, address: \"127.0.0.1:8080\"}]\n")
        .expect("loads");
    assert_eq!(config.clusters, ["web", "api"]);
    assert_eq!(config.cluster_addresses.len(), 1);
    assert_eq!(
        config.cluster_addresses.get("api").map(String::as_str),
        Some("127.0.0.1:8080")
    );
    let message = scratch.error("clusters: [{name: api, address: localhost}]\n");
    assert_contains(&message, ": clusters[0].address: `localhost` is not host:port");
}
