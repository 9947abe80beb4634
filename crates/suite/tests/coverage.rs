//! Coverage is enforced: every hostcall and callback of every ABI version in `spec/`, and
//! every lifecycle rule (or its `untestable:` reason), has a case that the conformance
//! tests hold to passing on every backend. A hostcall added to `spec/` without a case
//! fails here with its name.

use std::path::Path;

use pwconf_abi::AbiVersion;
use pwconf_suite::{Outcome, Suite, coverage, coverage_gaps, declared_coverage, run_trial};

fn backends() -> Vec<&'static str> {
    pwconf_engines::REGISTRATIONS.iter().map(|r| r.name).collect()
}

#[test]
fn every_hostcall_callback_and_rule_has_a_case() {
    let suite = Suite::load(&Suite::repo_root()).unwrap_or_else(|errors| {
        panic!("the suite does not load: {errors:?}");
    });
    let gaps = coverage_gaps(&declared_coverage(&suite, &backends()));
    assert!(gaps.is_empty(), "coverage is below 100%:\n{}", gaps.join("\n"));
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The check above can fail: a suite whose only case covers one hostcall reports every
/// other hostcall, callback and rule by name, and a case listed as diverging everywhere
/// covers nothing.
#[test]
fn a_missing_case_is_named() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let root = dir.path();
    let base = std::fs::read_to_string(Suite::repo_root().join("lib/base.wat")).unwrap_or_default();
    write(root, "lib/base.wat", &base);
    write(root, "logging/log.wat", "(module\n;; @include base\n)\n");
    write(
        root,
        "logging/log.yaml",
        "description: a case\nrules: [G1]\nhostcalls: [proxy_log]\nabi: [0.2.1]\nsteps: []\n",
    );
    let suite = Suite::load(root).unwrap_or_else(|e| panic!("{e:?}"));
    let gaps = coverage_gaps(&declared_coverage(&suite, &backends()));
    let has = |line: &str| gaps.iter().any(|g| g == line);
    assert!(
        !gaps
            .iter()
            .any(|g| g.contains("hostcall proxy_log ") && g.starts_with("ABI 0.2.1"))
    );
    assert!(has(
        "ABI 0.2.1: hostcall proxy_http_call has no case passing on every backend"
    ));
    assert!(has(
        "ABI 0.1.0: hostcall proxy_log has no case passing on every backend"
    ));
    assert!(has(
        "ABI 0.2.0: callback proxy_on_tick has no case passing on every backend"
    ));
    assert!(has(
        "rule Q4 has no passing case that made one of its hostcalls or callbacks, and no `untestable:` reason in spec/rules.yaml"
    ));
    assert!(!has(
        "rule G1 has no passing case that made one of its hostcalls or callbacks, and no `untestable:` reason in spec/rules.yaml"
    ));

    write(
        root,
        "divergences.yaml",
        "divergences:\n- {case: logging/log, reason: fails everywhere}\n",
    );
    let suite = Suite::load(root).unwrap_or_else(|e| panic!("{e:?}"));
    let gaps = coverage_gaps(&declared_coverage(&suite, &backends()));
    assert!(gaps.contains(&"ABI 0.2.1: hostcall proxy_log has no case passing on every backend".to_string()));
    assert!(
        gaps.contains(
            &"rule G1 has no passing case that made one of its hostcalls or callbacks, and no `untestable:` reason in spec/rules.yaml".to_string()
        )
    );
}

/// A case that lists a hostcall or callback its run never makes fails on every backend,
/// naming it, and observed coverage does not count it.
#[test]
fn a_listed_call_that_never_ran_fails_by_name() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let root = dir.path();
    let base = std::fs::read_to_string(Suite::repo_root().join("lib/base.wat")).unwrap_or_default();
    write(root, "lib/base.wat", &base);
    write(
        root,
        "logging/log.wat",
        "(module\n;; @include base\n  ;; @str $hello \"hello\"\n  (func (export \"proxy_on_vm_start\") (param i32 i32) (result i32)\n    (drop (call $pwconf_log (i32.const 2) (global.get $hello) (global.get $hello_len)))\n    (i32.const 1)))\n",
    );
    let case = |hostcalls: &str, callbacks: &str| {
        format!(
            "description: a case\nrules: [G1]\nhostcalls: [{hostcalls}]\ncallbacks: [{callbacks}]\nabi: [0.2.1]\nconfig:\n  http_filters:\n    - name: log\n      vm_config: {{runtime: pwconf.wasmtime}}\nsteps: []\nexpect:\n  logs:\n    - {{level: info, contains: hello}}\n"
        )
    };
    write(root, "logging/log.yaml", &case("proxy_log", "proxy_on_vm_start"));
    let suite = Suite::load(root).unwrap_or_else(|e| panic!("{e:?}"));
    let honest: Vec<_> = backends()
        .into_iter()
        .map(|b| run_trial(&suite, &suite.cases[0], b, AbiVersion::V0_2_1))
        .collect();
    for r in &honest {
        assert_eq!(r.outcome, Outcome::Pass, "{}: {}", r.backend, r.detail);
        assert!(r.observed.hostcalls.contains("proxy_log"), "{:?}", r.observed);
    }
    let observed = coverage(&suite, &honest);
    let v = observed.versions.iter().find(|v| v.version == AbiVersion::V0_2_1);
    assert!(v.is_some_and(|v| v.hostcalls.covered.contains(&"proxy_log".to_string())));

    write(
        root,
        "logging/log.yaml",
        &case(
            "proxy_log, proxy_get_buffer_bytes",
            "proxy_on_vm_start, proxy_on_tick",
        ),
    );
    let suite = Suite::load(root).unwrap_or_else(|e| panic!("{e:?}"));
    for backend in backends() {
        let r = run_trial(&suite, &suite.cases[0], backend, AbiVersion::V0_2_1);
        assert_eq!(r.outcome, Outcome::Fail, "{backend}");
        assert!(
            r.detail
                .contains("lists hostcall proxy_get_buffer_bytes, which the run never called")
                && r.detail
                    .contains("lists callback proxy_on_tick, which the run never called")
                && !r.detail.contains("proxy_log,"),
            "{backend}: {}",
            r.detail
        );
    }

    // coverage from runs that did not make a listed call leaves it missing, even passing
    let mut runs = honest.clone();
    runs[0].observed.hostcalls.clear();
    let gaps = coverage_gaps(&coverage(&suite, &runs));
    assert!(
        gaps.contains(&"ABI 0.2.1: hostcall proxy_log has no case passing on every backend".to_string()),
        "{gaps:?}"
    );
}
