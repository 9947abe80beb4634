//! The conformance suite as libtest trials `<backend>::<area>::<case>::<abi>`, so
//! `cargo test -p pwconf-suite -- <filter>`, `--list` and nextest partitions work.

use libtest_mimic::{Arguments, Failed, Trial};
use pwconf_abi::AbiVersion;
use pwconf_suite::{Outcome, Suite};

fn main() {
    let args = Arguments::from_args();
    let suite = match Suite::load(&Suite::repo_root()) {
        Ok(s) => std::sync::Arc::new(s),
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("{} problem(s) in conformance/", errors.len());
            std::process::exit(101);
        }
    };
    let mut trials = Vec::new();
    for reg in pwconf_engines::REGISTRATIONS {
        for (i, case) in suite.cases.iter().enumerate() {
            for abi in AbiVersion::ALL {
                if !case.header.abi.contains(&abi) {
                    continue;
                }
                let suite = suite.clone();
                let name = format!("{}::{}::{}::{}", reg.name, case.area, case.name, abi);
                trials.push(Trial::test(name, move || {
                    let case = &suite.cases[i];
                    let result = pwconf_suite::run_trial(&suite, case, reg.name, abi);
                    match result.outcome {
                        Outcome::Pass | Outcome::ExpectedFail | Outcome::Skip => Ok(()),
                        Outcome::Fail | Outcome::UnexpectedPass => Err(Failed::from(result.detail)),
                    }
                }));
            }
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
