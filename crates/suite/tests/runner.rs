//! The runner itself: bad case files are all reported with their lines, divergences turn
//! failures into expected failures and a stale divergence into a failing unexpected pass.

use std::path::Path;

use pwconf_abi::AbiVersion;
use pwconf_suite::{Outcome, Suite};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn suite_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let base = std::fs::read_to_string(Suite::repo_root().join("lib/base.wat")).unwrap_or_default();
    write(dir.path(), "lib/base.wat", &base);
    dir
}

const PASSING_WAT: &str = "(module\n;; @include base\n)\n";
const FAILING_WAT: &str = "(module\n;; @include base\n  ;; @str $always \"always\"\n  (func (export \"proxy_on_vm_start\") (param i32 i32) (result i32)\n    (call $check_eq (global.get $always) (global.get $always_len) (i32.const 1) (i32.const 2))\n    (i32.const 1)))\n";

fn case_yaml(rule: &str) -> String {
    format!("description: a case\nrules: [{rule}]\nabi: [0.2.1]\nsteps: []\n")
}

#[test]
fn every_bad_file_is_reported_with_its_line() {
    let dir = suite_dir();
    let root = dir.path();
    write(
        root,
        "lifecycle/unknown_key.yaml",
        "description: x\nrules: [R1]\nstepz: []\nabi: [0.2.1]\n",
    );
    write(root, "lifecycle/unknown_key.wat", PASSING_WAT);
    write(
        root,
        "lifecycle/unknown_rule.yaml",
        "description: x\nabi: [0.2.1]\nrules: [ZZ9]\nsteps: []\n",
    );
    write(root, "lifecycle/unknown_rule.wat", PASSING_WAT);
    write(root, "lifecycle/no_module.yaml", &case_yaml("R1"));
    write(root, "not_an_area/case.yaml", &case_yaml("R1"));
    let errors = match Suite::load(root) {
        Ok(_) => panic!("a suite with bad files loaded"),
        Err(e) => e.iter().map(ToString::to_string).collect::<Vec<_>>(),
    };
    let all = errors.join("\n");
    assert_eq!(errors.len(), 4, "{all}");
    assert!(
        all.contains("unknown_key.yaml:3: stepz: unknown field `stepz`"),
        "{all}"
    );
    assert!(all.contains("unknown_rule.yaml:3: unknown rule id ZZ9"), "{all}");
    assert!(
        all.contains("no_module.yaml: module") && all.contains("no_module.wat is missing"),
        "{all}"
    );
    assert!(all.contains("\"not_an_area\" is not an area of spec/"), "{all}");
}

#[test]
fn divergences_mark_expected_failures_and_stale_entries_fail() {
    let dir = suite_dir();
    let root = dir.path();
    write(root, "lifecycle/passes.yaml", &case_yaml("R2"));
    write(root, "lifecycle/passes.wat", PASSING_WAT);
    write(root, "lifecycle/fails.yaml", &case_yaml("R2"));
    write(root, "lifecycle/fails.wat", FAILING_WAT);
    let run = |divergences: &str| -> Vec<(String, Outcome, String)> {
        write(root, "divergences.yaml", divergences);
        let suite = Suite::load(root).unwrap_or_else(|e| panic!("{e:?}"));
        suite
            .cases
            .iter()
            .map(|c| {
                let r = pwconf_suite::run_trial(&suite, c, "wasmi", AbiVersion::V0_2_1);
                (c.name.clone(), r.outcome, r.detail)
            })
            .collect()
    };
    let plain = run("divergences: []\n");
    assert_eq!(plain[0].0, "fails");
    assert_eq!(plain[0].1, Outcome::Fail, "{}", plain[0].2);
    assert!(
        plain[0]
            .2
            .contains("guest check failed: always: expected 1, got 2"),
        "{}",
        plain[0].2
    );
    assert_eq!(plain[1].1, Outcome::Pass);

    let listed = run(
        "divergences:\n  - {case: lifecycle/fails, backend: wasmi, reason: known}\n  - {case: lifecycle/passes, reason: stale}\n",
    );
    assert_eq!(listed[0].1, Outcome::ExpectedFail);
    assert_eq!(listed[1].1, Outcome::UnexpectedPass);
    assert!(listed[1].1.is_failure());

    write(
        root,
        "divergences.yaml",
        "divergences:\n  - {case: lifecycle/gone, reason: removed}\n",
    );
    let errors = Suite::load(root).err().unwrap_or_default();
    assert!(
        errors
            .iter()
            .any(|e| e.to_string().contains("divergence names no case: lifecycle/gone")),
        "{errors:?}"
    );
}

#[test]
fn a_case_runs_only_under_its_abi_versions() {
    let dir = suite_dir();
    let root = dir.path();
    write(root, "lifecycle/only_021.yaml", &case_yaml("R1"));
    write(root, "lifecycle/only_021.wat", PASSING_WAT);
    let suite = Suite::load(root).unwrap_or_else(|e| panic!("{e:?}"));
    let r = pwconf_suite::run_trial(&suite, &suite.cases[0], "wasmtime", AbiVersion::V0_1_0);
    assert_eq!(r.outcome, Outcome::Skip);
}
