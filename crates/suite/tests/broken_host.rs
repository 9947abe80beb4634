//! A suite that passes a broken host certifies nothing: for every deliberate defect the
//! host can be built with, at least one case must fail.

use pwconf_abi::AbiVersion;
use pwconf_host::proxy::Backends;
use pwconf_host::{Breakage, ReferenceHost};
use pwconf_suite::{Outcome, Suite};

#[test]
fn every_breakage_is_caught_by_a_failing_case() {
    let suite = Suite::load(&Suite::repo_root()).unwrap_or_else(|e| panic!("{e:?}"));
    // Only trials that pass on the healthy host can show a breakage.
    let mut healthy = Vec::new();
    for case in &suite.cases {
        for abi in AbiVersion::ALL
            .into_iter()
            .filter(|v| case.header.abi.contains(v))
        {
            if pwconf_suite::run_trial(&suite, case, "wasmi", abi).outcome == Outcome::Pass {
                healthy.push((case, abi));
            }
        }
    }
    let mut uncaught = Vec::new();
    for breakage in Breakage::ALL {
        let mut caught = Vec::new();
        for &(case, abi) in &healthy {
            {
                let backend = pwconf_engines::shared("wasmi").unwrap_or_else(|e| panic!("{e}"));
                let mut host = ReferenceHost::broken(Backends::Only(backend), breakage);
                let r = pwconf_suite::run_trial_on(&suite, case, "wasmi", abi, &mut host);
                if r.outcome == Outcome::Fail {
                    caught.push(format!("{}::{abi}", case.id()));
                }
            }
        }
        println!(
            "{}: caught by {} trial(s): {}",
            breakage.name(),
            caught.len(),
            caught.join(", ")
        );
        if caught.is_empty() {
            uncaught.push(breakage.name());
        }
    }
    assert!(
        uncaught.is_empty(),
        "no case fails on a host with: {}",
        uncaught.join(", ")
    );
}
