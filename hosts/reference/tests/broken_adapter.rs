//! A certification that passes a broken adapter certifies nothing: the reference host
//! behind an adapter layer with a defect (what it reports over the protocol is wrong)
//! must fail at least one case when certified through the protocol. (Defects of the host
//! itself are crates/suite/tests/broken_host.rs.)

use pwconf_abi::AbiVersion;
use pwconf_certify::{ExternalHost, Verdict, trial};
use pwconf_suite::Suite;

/// The adapter layer's deliberate defects (`pwconf-reference-host --break NAME`).
const BREAKAGES: &[&str] = &["adapter-loses-upstream-body", "adapter-drops-metrics"];

#[test]
fn every_broken_adapter_fails_a_case() {
    let suite = Suite::load(&Suite::repo_root()).unwrap_or_else(|e| panic!("{e:?}"));
    let build = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("broken-adapter");
    let binary = env!("CARGO_BIN_EXE_pwconf-reference-host");
    let mut uncaught = Vec::new();
    for breakage in BREAKAGES {
        let mut host = ExternalHost::spawn(&format!("{binary} --break {breakage}"), None)
            .unwrap_or_else(|e| panic!("{e}"));
        // The first failing case is enough: the healthy host passes every case that
        // conformance/divergences.yaml does not list (the conformance tests hold it to
        // that, tests/equivalence.rs holds the protocol to it).
        let caught = suite.cases.iter().find_map(|case| {
            let abi = AbiVersion::ALL
                .into_iter()
                .find(|v| case.header.abi.contains(v) && suite.divergence(case, "wasmi", *v).is_none())?;
            match trial::run(&mut host, &suite, case, abi, "pwconf.wasmi", &build) {
                Verdict::Fail(why) => Some(format!("{}::{abi}: {why}", case.id())),
                _ => None,
            }
        });
        match caught {
            Some(how) => println!("{breakage}: caught by {how}"),
            None => uncaught.push(*breakage),
        }
    }
    assert!(
        uncaught.is_empty(),
        "no case fails on a host with: {}",
        uncaught.join(", ")
    );
}
