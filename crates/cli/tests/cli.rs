//! The `pwconf` binary as users run it: its JSON, its one-line errors and exit codes.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

#[test]
fn backends_json_lists_three_kinds() {
    let v = json(&["backends", "--format", "json"]);
    let rows: Vec<(String, String)> = v["backends"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|b| {
                    (
                        b["name"].as_str().unwrap_or("").to_string(),
                        b["kind"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let want = [("wasmtime", "jit"), ("wasmer", "aot"), ("wasmi", "interpreter")];
    assert_eq!(rows, want.map(|(n, k)| (n.to_string(), k.to_string())).to_vec());
    for b in v["backends"].as_array().into_iter().flatten() {
        assert!(b["engine_version"].as_str().is_some_and(|s| !s.is_empty()), "{b}");
    }
}

#[test]
fn abi_json_gives_the_spec_counts() {
    let v = json(&["abi", "--format", "json"]);
    let counts: Vec<(String, u64, u64, u64)> = v["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let c = &r["counts"];
            (
                r["version"].as_str().unwrap_or("").to_string(),
                c["hostcalls"].as_u64().unwrap_or(0),
                c["callbacks"].as_u64().unwrap_or(0),
                c["wasi"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![
            ("0.1.0".into(), 40, 24, 8),
            ("0.2.0".into(), 38, 25, 8),
            ("0.2.1".into(), 39, 25, 8)
        ]
    );
    assert!(v["rules"].as_array().is_some_and(|r| r.len() >= 100));
    assert!(
        v["enums"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["name"] == "status"))
    );
}

#[test]
fn abi_version_shows_that_version_only() {
    let v = json(&["abi", "--version", "0.1.0", "--format", "json"]);
    let names: Vec<&str> = v["hostcalls"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["name"].as_str())
        .collect();
    assert!(names.contains(&"proxy_get_configuration"));
    assert!(!names.contains(&"proxy_continue_stream"));
    let headers = v["callbacks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == "proxy_on_request_headers")
        .map(|c| c["params"].as_array().map_or(0, Vec::len));
    assert_eq!(headers, Some(2), "0.1.0 headers callbacks have no end_of_stream");
    assert!(
        !v["enums"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["name"] == "stream_type")
    );
}

const INSPECTED: &str = r#"
(module
  (import "env" "proxy_log" (func (param i32 i32 i32) (result i32)))
  (import "env" "proxy_continue_request" (func (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_made_up" (func))
  (import "wasi_unstable" "proc_exit" (func (param i32)))
  (memory (export "memory") 2 8)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "_initialize"))
  (func (export "proxy_on_memory_allocate") (param i32) (result i32) (i32.const 0))
  (func (export "malloc") (param i32) (result i32) (i32.const 0))
  (func (export "proxy_on_request_headers") (param i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_tick") (param i32)))
"#;

#[test]
fn inspect_classifies_imports_exports_allocator_and_startup() {
    let dir = tempdir();
    let path = write_temp(dir.path(), "m.wat", INSPECTED.as_bytes());
    let v = json(&["inspect", path.to_str().unwrap_or_default(), "--format", "json"]);
    assert_eq!(v["abi"]["status"], "supported");
    assert_eq!(v["abi"]["version"], "0.2.1");
    let import_names = |key: &str| -> Vec<String> {
        v["imports"][key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                format!(
                    "{}.{}",
                    i["module"].as_str().unwrap_or(""),
                    i["name"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    assert_eq!(
        import_names("known"),
        [
            "env.proxy_log",
            "env.proxy_get_buffer_bytes",
            "wasi_unstable.proc_exit"
        ]
    );
    assert_eq!(import_names("other_version"), ["env.proxy_continue_request"]);
    assert_eq!(import_names("unknown"), ["env.proxy_made_up"]);
    let mismatches: Vec<&str> = v["signature_mismatches"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert_eq!(
        mismatches,
        ["env.proxy_get_buffer_bytes", "proxy_on_request_headers"]
    );
    // Envoy's host prefers malloc when both allocators are exported.
    assert_eq!(v["allocator"]["used"], "malloc");
    assert_eq!(v["startup"], serde_json::json!(["_initialize"]));
    assert_eq!(v["memory"]["initial_pages"], 2);
    assert_eq!(v["memory"]["maximum_pages"], 8);
}

#[test]
fn inspect_reports_vnext_and_missing_markers() {
    let dir = tempdir();
    let vnext = write_temp(
        dir.path(),
        "vnext.wat",
        br#"(module (func (export "proxy_abi_version_0_x_x")))"#,
    );
    let v = json(&["inspect", vnext.to_str().unwrap_or_default(), "--format", "json"]);
    assert_eq!(v["abi"]["status"], "unsupported");
    assert_eq!(v["abi"]["marker"], "proxy_abi_version_0_x_x");
    assert_eq!(v["allocator"]["used"], "none");
    // A marker that is not a function does not count.
    let global = write_temp(
        dir.path(),
        "global.wat",
        br#"(module (global (export "proxy_abi_version_0_2_1") i32 (i32.const 0)) (start 0) (func))"#,
    );
    let v = json(&["inspect", global.to_str().unwrap_or_default(), "--format", "json"]);
    assert_eq!(v["abi"]["status"], "missing");
    assert_eq!(v["startup"], serde_json::json!(["start_section"]));
}

#[test]
fn inspect_compiles_on_every_backend_when_asked() {
    let dir = tempdir();
    let path = write_temp(dir.path(), "m.wat", INSPECTED.as_bytes());
    let v = json(&[
        "inspect",
        path.to_str().unwrap_or_default(),
        "--backend",
        "all",
        "--format",
        "json",
    ]);
    let ok: Vec<(&str, bool)> = v["compile"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["backend"].as_str().unwrap_or(""),
                c["ok"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(ok, [("wasmtime", true), ("wasmer", true), ("wasmi", true)]);
}

#[test]
fn bad_input_exits_2_with_one_line_naming_the_file() {
    let dir = tempdir();
    let not_wasm = write_temp(dir.path(), "notes.wasm", b"hello, I am not a module");
    let truncated = write_temp(dir.path(), "truncated.wasm", b"\0asm\x01\0\0\0\x01\x05\x01\x60");
    let bad_body = write_temp(dir.path(), "badbody.wasm", &{
        // a valid header and a type section, then a code section that lies about its size
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend_from_slice(&[
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x09, 0x01, 0x07,
        ]);
        m
    });
    let bad_wat = write_temp(
        dir.path(),
        "broken.wat",
        b"(module (func (result i32) (i32.const 1)",
    );
    let empty = write_temp(dir.path(), "empty.wasm", b"");
    let missing = dir.path().join("missing.wasm");
    for (path, needle) in [
        (&not_wasm, "not a WebAssembly module"),
        (&truncated, "invalid module"),
        (&bad_body, "invalid module"),
        (&bad_wat, "invalid WAT"),
        (&empty, "not a WebAssembly module"),
        (&missing, "cannot read"),
    ] {
        let shown = path.to_str().unwrap_or_default();
        fails_with_one_line(&["inspect", shown], shown);
        fails_with_one_line(&["inspect", shown], needle);
    }
    fails_with_one_line(
        &[
            "inspect",
            not_wasm.to_str().unwrap_or_default(),
            "--backend",
            "v8",
        ],
        "unknown backend \"v8\"",
    );
    usage_error(&["abi", "--version", "0.3.0"], "unknown ABI version");
    usage_error(&["frobnicate"], "unrecognized subcommand 'frobnicate'");
}

/// The proxy-wasm Rust SDK module that `scripts/build-guests` builds before the tests.
#[test]
fn inspect_an_sdk_built_module() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/guests/rust/headers-0.2.5-wasm32-unknown-unknown.wasm");
    assert!(
        path.exists(),
        "{} is missing: run scripts/build-guests (the README's test command does)",
        path.display()
    );
    let v = json(&[
        "inspect",
        path.to_str().unwrap_or_default(),
        "--backend",
        "all",
        "--format",
        "json",
    ]);
    assert_eq!(v["abi"]["version"], "0.2.1");
    assert_eq!(v["allocator"]["used"], "malloc");
    assert_eq!(v["startup"], serde_json::json!(["_initialize"]));
    assert_eq!(v["imports"]["unknown"], serde_json::json!([]));
    assert_eq!(v["imports"]["other_version"], serde_json::json!([]));
    assert_eq!(v["signature_mismatches"], serde_json::json!([]));
    assert!(
        v["compile"]
            .as_array()
            .is_some_and(|c| c.len() == 3 && c.iter().all(|c| c["ok"] == true)),
        "{}",
        v["compile"]
    );
}

/// The issue's configuration: two plugins share a vm_id, a third has its own, two workers
/// and a singleton service: exactly two VMs per worker and one on main, on every backend.
#[test]
fn check_json_shows_vm_sharing_per_thread() {
    let scenario = repo_path("conformance/host/vm_sharing/vm_sharing.scenario.yaml");
    let v = json(&["check", "--scenario", &scenario, "--format", "json"]);
    assert_eq!(v["ok"], true, "{v}");
    let backends = v["backends"].as_array().cloned().unwrap_or_default();
    assert_eq!(backends.len(), 3);
    for b in backends {
        let threads: Vec<&str> = b["vms"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|vm| vm["thread"].as_str())
            .collect();
        assert_eq!(
            threads,
            ["main", "worker-0", "worker-0", "worker-1", "worker-1"],
            "{}",
            b["backend"]
        );
        let roots = b["contexts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["kind"] == "root")
            .count();
        assert_eq!(
            roots, 7,
            "1 service root + 3 plugin roots per worker on {}",
            b["backend"]
        );
        assert!(b["trace"].as_array().is_some_and(|t| !t.is_empty()));
    }
}

#[test]
fn check_exits_1_when_an_expectation_is_not_met() {
    let dir = tempdir();
    let wat = std::fs::read_to_string(repo_path("conformance/host/vm_sharing/hello.wat")).unwrap_or_default();
    write_temp(dir.path(), "hello.wat", wat.as_bytes());
    let scenario = write_temp(
        dir.path(),
        "wrong.scenario.yaml",
        b"config:\n  http_filters:\n    - name: hello\n      vm_config: {runtime: wasmi, code: {local: {filename: hello.wat}}}\nsteps:\n  - http:\n      request: {headers: {':path': /}}\n      expect: {downstream: {status: 404}}\n",
    );
    let out = pwconf(&[
        "check",
        "--scenario",
        scenario.to_str().unwrap_or_default(),
        "--backend",
        "wasmi",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL  http http-1: downstream status: expected 404, observed 200"),
        "{stdout}"
    );
}

#[test]
fn check_bad_input_is_one_line() {
    let dir = tempdir();
    let typo = write_temp(dir.path(), "typo.yaml", b"steps:\n  - htp: {}\n");
    fails_with_one_line(
        &["check", "--scenario", typo.to_str().unwrap_or_default()],
        "unknown field `htp`",
    );
    let missing = dir.path().join("none.yaml");
    fails_with_one_line(
        &["check", "--scenario", missing.to_str().unwrap_or_default()],
        &format!("--scenario {}: no such file", missing.display()),
    );
    let bad_config = write_temp(
        dir.path(),
        "badcfg.yaml",
        b"config:\n  http_filters:\n    - name: x\n      vm_config: {runtme: wasmi}\nsteps: []\n",
    );
    fails_with_one_line(
        &["check", "--scenario", bad_config.to_str().unwrap_or_default()],
        "runtme",
    );
    let ok = repo_path("conformance/host/vm_sharing/vm_sharing.scenario.yaml");
    fails_with_one_line(
        &["check", "--scenario", &ok, "--backend", "v8"],
        "unknown backend \"v8\"",
    );
}

#[test]
fn run_reports_outcomes_in_every_format() {
    let dir = temp_suite();
    let suite = dir.path().to_str().unwrap_or_default();
    // wasmi: the failing case is a listed divergence -> exit 0
    let out = pwconf(&["run", "--suite", suite, "--backend", "wasmi"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        stdout.trim().lines().last(),
        Some("3 passed, 0 failed, 1 expected-fail, 0 skipped")
    );
    // wasmtime: not listed -> a failure, exit 1, named with its detail
    let out = pwconf(&["run", "--suite", suite, "--backend", "wasmtime"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL wasmtime::lifecycle::bad::0.2.1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("3 passed, 1 failed, 0 expected-fail, 0 skipped"),
        "{stdout}"
    );
    // json
    let out = pwconf(&["run", "--suite", suite, "--backend", "wasmi", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["summary"]["total"], 4);
    assert_eq!(v["summary"]["expected_fail"], 1);
    let outcomes: Vec<&str> = v["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["outcome"].as_str())
        .collect();
    assert_eq!(outcomes, ["expected-fail", "pass", "pass", "pass"]);
    // junit: one testcase per trial, failures counted
    let out = pwconf(&[
        "run",
        "--suite",
        suite,
        "--backend",
        "wasmtime",
        "--format",
        "junit",
    ]);
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 4, "{xml}");
    assert!(
        xml.contains("tests=\"4\"") && xml.contains("failures=\"1\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<failure").count(), 1, "{xml}");
}

#[test]
fn run_shards_partition_the_trials() {
    let dir = temp_suite();
    let suite = dir.path().to_str().unwrap_or_default();
    let names = |shard: &str| -> Vec<String> {
        let out = pwconf(&[
            "run",
            "--suite",
            suite,
            "--backend",
            "all",
            "--shard",
            shard,
            "--format",
            "json",
        ]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        v["results"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| format!("{}::{}::{}", r["backend"], r["case"], r["abi"]))
            .collect()
    };
    let (a, b, all) = (names("1/2"), names("2/2"), names("1/1"));
    assert_eq!(all.len(), 12);
    assert_eq!(a.len() + b.len(), 12);
    assert!(a.iter().all(|n| !b.contains(n)));
    fails_with_one_line(
        &["run", "--suite", suite, "--shard", "3/2"],
        "I must be between 1 and N",
    );
}

#[test]
fn a_bad_case_file_is_reported_with_its_line_and_exit_2() {
    let dir = temp_suite();
    write_temp(
        &dir.path().join("lifecycle"),
        "typo.yaml",
        b"description: x\nrules: [R1]\nabi: [0.2.1]\nstepz: []\n",
    );
    write_temp(&dir.path().join("lifecycle"), "typo.wat", b"(module)\n");
    let out = pwconf(&["run", "--suite", dir.path().to_str().unwrap_or_default()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("typo.yaml:4: stepz: unknown field `stepz`"),
        "{stderr}"
    );
}

#[test]
fn run_sdk_reports_a_bad_version_line_and_a_missing_module() {
    let bad = sdk_folder("rust\t0.2.5\t9.9.9\twasm32-unknown-unknown\t-\n");
    let out = pwconf(&["run", "--suite", bad.path().to_str().unwrap_or_default()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("versions.tsv:1: unknown ABI version \"9.9.9\""),
        "{stderr}"
    );

    // Valid, but nothing built: every trial fails and says how to build.
    let unbuilt = sdk_folder("rust\t0.2.5\t0.2.1\twasm32-unknown-unknown\t-\n");
    let suite = unbuilt.path().to_str().unwrap_or_default();
    let out = pwconf(&["run", "--suite", suite, "--backend", "wasmi"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL wasmi::sdk::rust/echo-0.2.5-wasm32-unknown-unknown::one")
            && stdout.contains("build it with `scripts/build-guests"),
        "{stdout}"
    );
    let out = pwconf(&["run", "--suite", suite, "--abi", "0.2.1"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_refuses_an_invalid_or_unnameable_module_as_bad_input() {
    let dir = tempdir();
    let scenario = write_temp(dir.path(), "s.yaml", b"steps: []\n");
    let scenario = scenario.to_str().unwrap_or_default();
    // A wasm header and a truncated section: every backend would refuse it alike.
    let invalid = write_temp(dir.path(), "invalid.wasm", b"\0asm\x01\0\0\0\x01\x05");
    fails_with_one_line(
        &[
            "check",
            invalid.to_str().unwrap_or_default(),
            "--scenario",
            scenario,
            "--backend",
            "wasmi",
        ],
        "invalid.wasm",
    );
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad\xff.wat");
        let path = dir.path().join(name);
        std::fs::write(&path, b"(module)").unwrap_or_default();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pwconf"))
            .arg("check")
            .arg(&path)
            .args(["--scenario", scenario, "--backend", "wasmi"])
            .output()
            .expect("pwconf runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("is not UTF-8"), "{stderr}");
        assert!(!stderr.contains("No such file"), "{stderr}");
    }
}

#[test]
fn check_refuses_a_step_on_a_worker_that_does_not_exist() {
    let dir = tempdir();
    let scenario = write_temp(
        dir.path(),
        "w.yaml",
        b"workers: 2\nsteps:\n  - http:\n      worker: 2\n      request: {headers: {\":method\": GET, \":path\": /, \":authority\": a}}\n",
    );
    let module = repo_path("conformance/host/vm_sharing/hello.wat");
    let out = pwconf(&[
        "check",
        &module,
        "--scenario",
        scenario.to_str().unwrap_or_default(),
        "--backend",
        "wasmi",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("step names worker 2, but the proxy runs 2 worker(s) (worker-0..worker-1)"),
        "{stdout}"
    );
}
