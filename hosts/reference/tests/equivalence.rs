//! The protocol proves itself: every case gives the same outcome through the reference
//! host behind the host-under-test protocol as in process, on every backend. A case that
//! passes in process must pass through the protocol and one that fails must fail, so
//! nothing a scenario needs is lost on the wire.

use pwconf_abi::AbiVersion;
use pwconf_certify::{ExternalHost, Verdict, trial};
use pwconf_suite::{Outcome, Suite};

#[test]
fn every_case_has_the_same_outcome_through_the_protocol_on_every_backend() {
    let suite = Suite::load(&Suite::repo_root()).unwrap_or_else(|e| panic!("{e:?}"));
    let build = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("equivalence");
    let command = env!("CARGO_BIN_EXE_pwconf-reference-host");
    let mut host = ExternalHost::spawn(command, None).unwrap_or_else(|e| panic!("{e}"));
    let mut differ = Vec::new();
    let mut compared = 0;
    for backend in ["wasmtime", "wasmer", "wasmi"] {
        let runtime = format!("pwconf.{backend}");
        for case in &suite.cases {
            for abi in AbiVersion::ALL
                .into_iter()
                .filter(|v| case.scenario.abi.contains(v))
            {
                let local = pwconf_suite::run_trial(&suite, case, backend, abi);
                let passed_locally = matches!(local.outcome, Outcome::Pass | Outcome::UnexpectedPass);
                let remote = trial::run(&mut host, &suite, case, abi, &runtime, &build);
                compared += 1;
                if passed_locally != (remote == Verdict::Pass) {
                    differ.push(format!(
                        "{}::{abi} on {backend}: in process {} ({}), through the protocol {remote:?}",
                        case.id(),
                        local.outcome.name(),
                        local.detail
                    ));
                }
            }
        }
    }
    println!("compared {compared} trials, {} differ", differ.len());
    assert!(compared > 0, "no trial ran");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
