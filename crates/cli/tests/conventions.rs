//! The command line as users of cargo test, nextest and clap expect it: whole usage
//! messages, trial selection by the names the runner prints, nextest's exit code and
//! partitions, JUnit that CI dashboards read, `check --verbose`, and the SDK maintainers'
//! commands.

mod common;

use common::*;
use serde_json::Value;

fn stdout_of(args: &[&str]) -> (Option<i32>, String, String) {
    let out = pwconf(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn usage_errors_are_clap_s_whole_message() {
    // Bare: the whole help, with the command list.
    let (code, _, stderr) = stdout_of(&[]);
    assert_eq!(code, Some(2), "{stderr}");
    for needle in [
        "Usage: pwconf <COMMAND>",
        "Commands:",
        "  run ",
        "  check ",
        "  report ",
        "  sdk ",
    ] {
        assert!(stderr.contains(needle), "{needle:?} missing from {stderr}");
    }
    // A typo: the suggestion.
    let stderr = usage_error(&["run", "--filtr", "x"], "unexpected argument '--filtr'");
    assert!(
        stderr.contains("a similar argument exists: '--filter'"),
        "{stderr}"
    );
    // A missing argument: named.
    let stderr = usage_error(&["check"], "--scenario <SCENARIO>");
    assert!(stderr.contains("Usage: pwconf check"), "{stderr}");
    usage_error(&["run", "--partition", "slice:1/2"], "count:I/N");
}

#[test]
fn a_path_that_is_not_there_is_named_as_given() {
    let dir = tempdir();
    let scenario = write_temp(dir.path(), "s.yaml", b"steps: []\n");
    let scenario = scenario.to_str().unwrap_or_default();
    fails_with_one_line(
        &["check", "no/such/plugin.wasm", "--scenario", scenario],
        "module no/such/plugin.wasm: no such file",
    );
    fails_with_one_line(
        &["check", "--scenario", scenario, "--config", "nowhere.yaml"],
        "--config nowhere.yaml: no such file",
    );
    fails_with_one_line(
        &["run", "--suite", "no/such/suite"],
        "--suite no/such/suite: no such folder",
    );
}

#[test]
fn list_names_are_what_filter_takes() {
    let dir = temp_suite();
    let suite = dir.path().to_str().unwrap_or_default();
    let (code, list, _) = stdout_of(&["run", "--suite", suite, "--backend", "wasmtime", "--list"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        list.lines().collect::<Vec<_>>(),
        [
            "wasmtime::lifecycle::bad::0.2.1",
            "wasmtime::lifecycle::ok_one::0.2.1",
            "wasmtime::lifecycle::ok_two::0.2.0",
            "wasmtime::lifecycle::ok_two::0.2.1",
        ]
    );
    let v = json(&[
        "run",
        "--suite",
        suite,
        "--backend",
        "wasmi",
        "--list",
        "--format",
        "json",
    ]);
    assert_eq!(v["trials"][0]["name"], "wasmi::lifecycle::bad::0.2.1", "{v}");
    assert_eq!(v["trials"][0]["area"], "lifecycle");

    // The failure's printed name, pasted into --exact --filter, runs that trial only.
    let (code, out, _) = stdout_of(&["run", "--suite", suite, "--backend", "wasmtime"]);
    assert_eq!(code, Some(1));
    let failing = out
        .lines()
        .find_map(|l| l.strip_prefix("FAIL "))
        .and_then(|l| l.split(": ").next())
        .unwrap_or_default()
        .to_string();
    assert_eq!(failing, "wasmtime::lifecycle::bad::0.2.1");
    let v = json(&[
        "run", "--suite", suite, "--list", "--exact", "--filter", &failing, "--format", "json",
    ]);
    assert_eq!(v["trials"].as_array().map(Vec::len), Some(1), "{v}");
    let (code, out, _) = stdout_of(&["run", "--suite", suite, "--exact", &failing]);
    assert_eq!(code, Some(1));
    assert!(
        out.ends_with("0 passed, 1 failed, 0 expected-fail, 0 skipped\n"),
        "{out}"
    );

    // --skip, and a positional filter as cargo test takes one.
    let (_, list, _) = stdout_of(&[
        "run",
        "--suite",
        suite,
        "--list",
        "--skip",
        "bad",
        "ok_two::0.2.1",
    ]);
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(!list.contains("bad"), "{list}");
}

#[test]
fn nothing_selected_is_nextest_s_no_tests_to_run() {
    let dir = temp_suite();
    let suite = dir.path().to_str().unwrap_or_default();
    let (code, _, stderr) = stdout_of(&["run", "--suite", suite, "--filter", "no_such_case"]);
    assert_eq!(code, Some(4), "{stderr}");
    assert!(
        stderr.contains("no tests to run: --filter no_such_case matched none of 12 trials"),
        "{stderr}"
    );
    // Listing nothing is not an error.
    let (code, list, _) = stdout_of(&["run", "--suite", suite, "--list", "--filter", "no_such_case"]);
    assert_eq!((code, list.as_str()), (Some(0), ""));
}

#[test]
fn partitions_as_nextest_words_them() {
    let dir = temp_suite();
    let suite = dir.path().to_str().unwrap_or_default();
    let names = |partition: &str| -> Vec<String> {
        let v = json(&[
            "run",
            "--suite",
            suite,
            "--list",
            "--partition",
            partition,
            "--format",
            "json",
        ]);
        v["trials"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["name"].as_str().map(str::to_string))
            .collect()
    };
    for kind in ["count", "hash"] {
        let (a, b) = (names(&format!("{kind}:1/2")), names(&format!("{kind}:2/2")));
        assert_eq!(a.len() + b.len(), 12, "{kind}");
        assert!(a.iter().all(|n| !b.contains(n)), "{kind}: no trial in both");
    }
    assert_eq!(names("count:1/2").len(), 6);
}

#[test]
fn junit_has_classnames_and_failure_bodies() {
    let dir = temp_suite();
    let suite = dir.path().to_str().unwrap_or_default();
    let (code, xml, _) = stdout_of(&[
        "run",
        "--suite",
        suite,
        "--backend",
        "wasmtime",
        "--format",
        "junit",
    ]);
    assert_eq!(code, Some(1));
    assert!(xml.contains("<testsuite name=\"wasmtime\""), "{xml}");
    assert!(
        xml.contains("<testcase name=\"wasmtime::lifecycle::bad::0.2.1\" classname=\"lifecycle\""),
        "{xml}"
    );
    let failure = xml.split("<failure").nth(1).unwrap_or_default();
    assert!(failure.contains("message=\"fail: "), "{failure}");
    assert!(failure.contains("type=\"fail\""), "{failure}");
    // The body: the whole detail and where to look.
    assert!(
        failure.contains("bad.yaml") && failure.contains("case lifecycle/bad (ABI 0.2.1), rules R1"),
        "{failure}"
    );

    let scenario = repo_path("conformance/host/vm_sharing/vm_sharing.scenario.yaml");
    let (code, xml, stderr) = stdout_of(&[
        "check",
        "--scenario",
        &scenario,
        "--backend",
        "wasmi",
        "--format",
        "junit",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(xml.contains("<testsuite name=\"wasmi\""), "{xml}");
    assert!(xml.contains("classname=\""), "{xml}");
    assert!(!xml.contains("<failure"), "{xml}");
    assert!(xml.matches("<testcase ").count() > 0, "{xml}");
}

#[test]
fn check_verbose_shows_logs_callbacks_and_decoded_hostcalls() {
    let scenario = repo_path("conformance/host/vm_sharing/vm_sharing.scenario.yaml");
    let (code, quiet, _) = stdout_of(&["check", "--scenario", &scenario, "--backend", "wasmi"]);
    assert_eq!(code, Some(0), "{quiet}");
    assert!(!quiet.contains("trace of"), "{quiet}");
    let (code, out, _) = stdout_of(&["check", "--scenario", &scenario, "--backend", "all", "--verbose"]);
    assert_eq!(code, Some(0), "{out}");
    for backend in ["wasmtime", "wasmer", "wasmi"] {
        let section = out
            .split("== ")
            .find(|s| s.starts_with(backend))
            .unwrap_or_default();
        assert!(section.contains("  trace of main VM 0"), "{backend}: {section}");
        assert!(
            section.contains("-> proxy_on_vm_start(root_context_id="),
            "{backend}: {section}"
        );
        assert!(
            section.contains("-> proxy_on_context_create(context_id="),
            "{backend}: {section}"
        );
    }
    assert!(!out.contains('{'), "no JSON: {out}");
}

#[test]
fn a_missing_module_fails_even_when_a_divergence_lists_it() {
    let dir = sdk_folder("rust\t0.2.5\t0.2.1\twasm32-unknown-unknown\t-\n");
    write_temp(
        dir.path(),
        "divergences.yaml",
        b"divergences:\n  - {sdk: rust, filter: echo, reason: known to fail}\n",
    );
    let (code, out, _) = stdout_of(&[
        "run",
        "--suite",
        dir.path().to_str().unwrap_or_default(),
        "--backend",
        "wasmi",
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("FAIL wasmi::sdk::rust/echo-0.2.5-wasm32-unknown-unknown::one"),
        "{out}"
    );
    assert!(
        out.contains("build it with `scripts/build-guests --only rust/echo`"),
        "{out}"
    );
    assert!(out.contains("0 passed, 1 failed, 0 expected-fail"), "{out}");
}

/// The SDK module the tests run in temporary SDK folders (built by scripts/build-guests).
fn built_module() -> String {
    let path = repo_path("target/guests/rust/headers-0.2.5-wasm32-unknown-unknown.wasm");
    assert!(
        std::path::Path::new(&path).exists(),
        "{path} is missing: run scripts/build-guests (the README's test command does)"
    );
    path
}

#[test]
fn sdk_report_compares_with_a_named_baseline_it_does_not_overwrite() {
    let dir = sdk_folder("rust\t0.2.5\t0.2.1\twasm32-unknown-unknown\t-\n");
    let root = dir.path();
    let guests = root.join(".guests/rust");
    std::fs::create_dir_all(&guests).unwrap_or_default();
    std::fs::copy(
        built_module(),
        guests.join("echo-0.2.5-wasm32-unknown-unknown.wasm"),
    )
    .unwrap_or_default();
    let suite = root.to_str().unwrap_or_default();
    let first = root.join("first");
    let (code, out, stderr) = stdout_of(&[
        "report",
        "--suite",
        suite,
        "--out",
        first.to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, Some(0), "{out}{stderr}");
    let baseline = first.join("sdk.json");
    let baseline_text = std::fs::read_to_string(&baseline).unwrap_or_default();
    let v: Value = serde_json::from_str(&baseline_text).unwrap_or_default();
    assert_eq!(v["results"][0]["outcome"], "pass", "{v}");
    assert!(
        v["sources"][0]["source"]
            .as_str()
            .is_some_and(|s| s == "release 0.2.5 of proxy-wasm from crates.io")
    );

    // Writing over the baseline is refused; another --out compares with it.
    fails_with_one_line(
        &[
            "report",
            "--suite",
            suite,
            "--out",
            first.to_str().unwrap_or_default(),
            "--baseline",
            baseline.to_str().unwrap_or_default(),
        ],
        "is the report this run writes",
    );
    let second = root.join("second");
    let (code, _, _) = stdout_of(&[
        "report",
        "--suite",
        suite,
        "--out",
        second.to_str().unwrap_or_default(),
        "--baseline",
        baseline.to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(
        std::fs::read_to_string(&baseline).unwrap_or_default(),
        baseline_text,
        "the baseline is untouched"
    );
    let md = std::fs::read_to_string(second.join("sdk.md")).unwrap_or_default();
    assert!(
        md.contains(&format!("None since `{}`", baseline.display())),
        "{md}"
    );
    assert!(
        md.contains("| echo | 0.2.5 | wasm32-unknown-unknown | 0.2.1 | one |"),
        "scenario names in the matrix: {md}"
    );
    assert!(md.contains("## Sources and toolchains"), "{md}");
}

#[test]
fn sdk_test_builds_a_checkout_and_compares_it_with_the_last_release() {
    let dir = sdk_folder(
        "rust\t0.2.4\t0.2.1\twasm32-unknown-unknown\t-\nrust\t0.2.5\t0.2.1\twasm32-unknown-unknown\t-\n",
    );
    let root = dir.path();
    let checkout = root.join("checkout");
    std::fs::create_dir_all(&checkout).unwrap_or_default();
    write_temp(&checkout, "Cargo.toml", b"[package]\nname = \"proxy-wasm\"\n");
    // Stands in for scripts/build-guests: records its arguments and "builds" the module.
    let guests = root.join(".guests");
    let script = write_temp(
        root,
        "build-guests",
        format!(
            "#!/bin/sh\necho \"$@\" > {args}\nmkdir -p {g}/rust\ncp {module} {g}/rust/echo-local-wasm32-unknown-unknown.wasm\n\
             printf 'rust\\tlocal\\t-\\twasm32-unknown-unknown\\t%s\\n' {checkout} > {g}/local.tsv\n",
            args = root.join("args").display(),
            g = guests.display(),
            module = built_module(),
            checkout = checkout.display(),
        )
        .as_bytes(),
    );
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .ok();
    let baseline = write_temp(
        root,
        "release.json",
        br#"{"generated": "2026-01-01", "results": [
            {"sdk": "rust", "filter": "echo", "version": "0.2.4", "target": "wasm32-unknown-unknown", "abi": "0.2.1",
             "scenario": "one", "backend": "wasmi", "outcome": "pass", "detail": ""},
            {"sdk": "rust", "filter": "echo", "version": "0.2.5", "target": "wasm32-unknown-unknown", "abi": "0.2.1",
             "scenario": "one", "backend": "wasmi", "outcome": "fail", "detail": "broken in 0.2.5"}]}"#,
    );
    let out_dir = root.join("out");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pwconf"))
        .args(["sdk", "test", "--sdk-path"])
        .arg(&checkout)
        .arg("--suite")
        .arg(root)
        .arg("--baseline")
        .arg(&baseline)
        .arg("--out")
        .arg(&out_dir)
        .args(["--backend", "wasmi"])
        .env("PWCONF_BUILD_GUESTS", &script)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let args = std::fs::read_to_string(root.join("args")).unwrap_or_default();
    assert_eq!(
        args.trim(),
        format!("--only rust --sdk-path rust={}", checkout.display())
    );
    assert!(
        stdout.contains("against release 0.2.5") && stdout.contains("0 same, 1 fixed, 0 broken"),
        "{stdout}"
    );
    assert!(
        stdout.contains("echo-wasm32-unknown-unknown::one on wasmi: fail -> pass"),
        "{stdout}"
    );
    let md = std::fs::read_to_string(out_dir.join("sdk.md")).unwrap_or_default();
    assert!(
        md.contains("| rust | local | 0.2.5 | 0 | 1 | 0 | 0 | 0 |"),
        "{md}"
    );
    assert!(md.contains(&format!("checkout {}", checkout.display())), "{md}");
}
