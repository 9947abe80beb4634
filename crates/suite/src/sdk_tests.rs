//! Tests of the SDK matrix loader and its trials (`sdk.rs`).

use super::*;

const SCENARIO: &str = "description: d\nsteps: []\nexpect:\n  start_failures: []\n";

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap_or(dir)).ok();
    std::fs::write(&path, text).ok();
}

#[test]
fn every_version_builds_every_filter_and_local_checkouts_join() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    write(
        root,
        "versions.tsv",
        "# comment\nrust\t0.1.4\t0.1.0\twasm32-unknown-unknown\t-\nrust\t0.2.5\t0.2.1\twasm32-unknown-unknown,wasm32-wasip1\t-\n\
         c\traw\t0.2.1\twasm32-wasi\t-\n",
    );
    write(root, "c/raw/scenarios/one.yaml", SCENARIO);
    write(root, "rust/a/scenarios/one.yaml", SCENARIO);
    write(root, "rust/b/scenarios/two.yaml", SCENARIO);
    let guests = root.join("guests");
    write(
        &guests,
        "local.tsv",
        "rust\tlocal\t-\twasm32-unknown-unknown\t/src/sdk\n",
    );
    let matrix = SdkMatrix::load(root, &guests).unwrap_or_else(|e| panic!("{e:?}"));
    let ids: Vec<String> = matrix.modules.iter().map(SdkModule::id).collect();
    assert_eq!(
        ids,
        [
            "rust/a-0.1.4-wasm32-unknown-unknown",
            "rust/b-0.1.4-wasm32-unknown-unknown",
            "rust/a-0.2.5-wasm32-unknown-unknown",
            "rust/a-0.2.5-wasm32-wasip1",
            "rust/b-0.2.5-wasm32-unknown-unknown",
            "rust/b-0.2.5-wasm32-wasip1",
            "rust/a-local-wasm32-unknown-unknown",
            "rust/b-local-wasm32-unknown-unknown",
            "c/raw-raw-wasm32-wasi",
        ]
    );
    assert_eq!(matrix.modules[0].expected_abi, Some(AbiVersion::V0_1_0));
    assert_eq!(matrix.modules[6].expected_abi, None);
    assert_eq!(matrix.trials(&["wasmi", "wasmer"]).len(), 18);

    // Not built yet: the trial fails and says how to build it, even where a
    // divergence expects it to fail.
    write(
        root,
        "divergences.yaml",
        "divergences:\n  - {sdk: rust, filter: a, version: 0.1.4, reason: known}\n",
    );
    let matrix = SdkMatrix::load(root, &guests).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(matrix.divergence(&matrix.modules[0], "one", "wasmi").is_some());
    let result = run_sdk_trial(&matrix, &matrix.modules[0], 0, "wasmi");
    assert_eq!(result.outcome, Outcome::Fail, "{}", result.detail);
    assert!(
        result
            .detail
            .contains("build it with `scripts/build-guests --only rust/a`"),
        "{}",
        result.detail
    );
    let local = run_sdk_trial(&matrix, &matrix.modules[6], 0, "wasmi");
    assert!(
        local
            .detail
            .contains("`scripts/build-guests --sdk-path rust=DIR`"),
        "{}",
        local.detail
    );
}

#[test]
fn unbuildable_releases_get_one_skipped_trial_with_their_reason() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    write(
        root,
        "versions.tsv",
        "go\tv1\t0.2.0\twasip1\t-\n\
         go-tinygo\tv0.24.0\t0.2.0\twasip1\tunbuildable: needs TinyGo\n",
    );
    write(root, "go/headers/scenarios/one.yaml", SCENARIO);
    // Per-version toolchain manifests are not a filter.
    write(root, "go/versions/v1/go.mod", "module x\n");
    let matrix = SdkMatrix::load(root, &root.join("guests")).unwrap_or_else(|e| panic!("{e:?}"));
    let ids: Vec<String> = matrix.modules.iter().map(SdkModule::id).collect();
    assert_eq!(ids, ["go/headers-v1-wasip1", "go-tinygo/all-v0.24.0-wasip1"]);
    assert_eq!(matrix.versions[1].unbuildable.as_deref(), Some("needs TinyGo"));
    assert_eq!(matrix.trials(&["wasmi"]).len(), 2);
    let result = run_sdk_trial(&matrix, &matrix.modules[1], 0, "wasmi");
    assert_eq!(result.outcome, Outcome::Skip);
    assert_eq!(result.scenario, UNBUILT_SCENARIO);
    assert_eq!(result.detail, "not buildable here: needs TinyGo");
}

#[test]
fn bad_files_are_all_reported_with_their_lines() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    write(
        root,
        "versions.tsv",
        "rust\t0.2.5\t0.9.9\twasm32-unknown-unknown\t-\nrust\t0.2.4\n\
         go\t1.0\t0.2.1\twasm\t-\nrust\t0.2.3\t0.2.1\twasm32-unknown-unknown\t-\n",
    );
    write(root, "rust/no_scenarios/src/lib.rs", "");
    write(root, "rust/bad/scenarios/broken.yaml", "steps: [\n");
    write(
        root,
        "divergences.yaml",
        "divergences:\n  - {sdk: rust, filter: nothing, reason: stale}\n",
    );
    let errors = SdkMatrix::load(root, &root.join("guests"))
        .err()
        .unwrap_or_default();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let has = |needle: &str| text.iter().any(|t| t.contains(needle));
    assert!(has("versions.tsv:1: unknown ABI version \"0.9.9\""), "{text:#?}");
    assert!(
        has("versions.tsv:2: expected 5 tab-separated columns"),
        "{text:#?}"
    );
    assert!(has("SDK \"go\" has no folder"), "{text:#?}");
    assert!(
        has("no_scenarios: a filter needs at least one scenarios/*.yaml"),
        "{text:#?}"
    );
    assert!(has("broken.yaml"), "{text:#?}");
    assert!(has("divergence names no module or scenario"), "{text:#?}");
}
