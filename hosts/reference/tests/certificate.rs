//! `pwconf certify` end to end on the reference host: a certificate with its verdict,
//! a declared divergence that holds, and a stale one that fails the run.

use pwconf_certify::{Options, Outcome, certify, report};
use pwconf_suite::Suite;

const CASE: &str = "buffers/body_outside_its_callback_reads_empty";

/// The outcomes of the trials of [`CASE`] (a filter may select others too).
fn outcomes(cert: &pwconf_certify::Certificate) -> Vec<Outcome> {
    cert.trials
        .iter()
        .filter(|t| t.case == CASE)
        .map(|t| t.outcome)
        .collect()
}

fn options(dir: &std::path::Path, command: String, divergences: &str) -> Options {
    let file = dir.join("divergences.yaml");
    std::fs::write(&file, divergences).unwrap_or_else(|e| panic!("{e}"));
    Options {
        name: "reference".into(),
        command,
        filters: vec![CASE.into()],
        runtimes: vec!["pwconf.wasmi".into()],
        build_dir: dir.join("build"),
        divergences: Some(file),
    }
}

#[test]
fn a_certificate_judges_divergences() {
    let suite = Suite::load(&Suite::repo_root()).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        suite.cases.iter().any(|c| c.id() == CASE),
        "{CASE} is gone: pick another case"
    );
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("certificate");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let binary = env!("CARGO_BIN_EXE_pwconf-reference-host");

    // The healthy host passes the case: an entry for it is stale and fails the run.
    let stale = format!("divergences:\n  - {{case: {CASE}, reason: listed by the test}}\n");
    let cert = certify(&suite, &options(&dir, binary.to_string(), &stale), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        outcomes(&cert),
        [Outcome::StaleDivergence, Outcome::StaleDivergence],
        "{:?}",
        cert.trials
    );
    assert!(cert.failed());
    assert!(cert.verdict.contains("does not conform"), "{}", cert.verdict);

    // An adapter that loses what reached the upstream fails it, as declared.
    let broken = format!("{binary} --break adapter-loses-upstream-body");
    let cert = certify(&suite, &options(&dir, broken.clone(), &stale), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        outcomes(&cert),
        [Outcome::DeclaredDivergence, Outcome::DeclaredDivergence],
        "{:?}",
        cert.trials
    );
    assert!(!cert.failed());
    let md = report::markdown(&cert);
    assert!(
        md.contains(&cert.verdict) && md.contains("## Declared divergences"),
        "{md}"
    );

    // Without the entry the same host fails.
    let cert = certify(&suite, &options(&dir, broken, "divergences: []\n"), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        outcomes(&cert),
        [Outcome::Fail, Outcome::Fail],
        "{:?}",
        cert.trials
    );

    // An entry naming no case is refused before anything runs.
    let bad = "divergences:\n  - {case: no/such_case, reason: x}\n";
    let err = certify(&suite, &options(&dir, binary.to_string(), bad), &mut |_| {})
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("divergence names no case: no/such_case"), "{err}");
}
