//! The protocol proves itself: every case gives the same outcome through the reference
//! host behind the host-under-test protocol as in process, on every backend. Both runs go
//! through the suite's own trial runner (`run_trial_on`), one on the in-process
//! reference host, one on the same host in another process behind the protocol, so
//! nothing a scenario needs may be lost on the wire.

use pwconf_abi::AbiVersion;
use pwconf_certify::{ExternalHost, ProtocolHost};
use pwconf_suite::{Outcome, Suite};

#[test]
fn every_case_has_the_same_outcome_through_the_protocol_on_every_backend() {
    let suite = Suite::load(&Suite::repo_root()).unwrap_or_else(|e| panic!("{e:?}"));
    let command = env!("CARGO_BIN_EXE_pwconf-reference-host");
    let mut host = ExternalHost::spawn(command, None).unwrap_or_else(|e| panic!("{e}"));
    let mut differ = Vec::new();
    let mut compared = 0;
    for backend in ["wasmtime", "wasmer", "wasmi"] {
        let runtime = format!("pwconf.{backend}");
        for case in &suite.cases {
            for abi in AbiVersion::ALL
                .into_iter()
                .filter(|v| case.header.abi.contains(v))
            {
                let local = pwconf_suite::run_trial(&suite, case, backend, abi);
                let mut seam = ProtocolHost::new(&mut host, &runtime);
                let remote = pwconf_suite::run_trial_on(&suite, case, backend, abi, &mut seam);
                compared += 1;
                let passed = |o: Outcome| matches!(o, Outcome::Pass | Outcome::UnexpectedPass);
                if passed(local.outcome) != passed(remote.outcome) {
                    differ.push(format!(
                        "{}::{abi} on {backend}: in process {} ({}), through the protocol {} ({})",
                        case.id(),
                        local.outcome.name(),
                        local.detail,
                        remote.outcome.name(),
                        remote.detail
                    ));
                }
            }
        }
    }
    println!("compared {compared} trials, {} differ", differ.len());
    assert!(compared > 0, "no trial ran");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
