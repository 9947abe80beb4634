//! The SDK matrix as tests: every module `scripts/build-guests` builds from
//! `conformance/sdk/versions.tsv` (and a local SDK checkout recorded in
//! `target/guests/local.tsv`), each of its filter's scenarios, on every backend. Trials are
//! `<backend>::sdk::<sdk>/<filter>-<version>-<target>::<scenario>`; a trial listed in
//! `conformance/sdk/divergences.yaml` passes when it fails as expected.

use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use pwconf_suite::sdk::{self, SdkMatrix};

fn main() {
    let args = Arguments::from_args();
    let root = SdkMatrix::repo_root();
    let matrix = match SdkMatrix::load(&root, &SdkMatrix::guests_dir(&root)) {
        Ok(m) => Arc::new(m),
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
            let trial = Trial::test("sdk::matrix_loads", move || Err(Failed::from(text.join("\n"))));
            libtest_mimic::run(&args, vec![trial]).exit();
        }
    };
    let backends: Vec<&str> = pwconf_engines::REGISTRATIONS.iter().map(|r| r.name).collect();
    let mut trials = Vec::new();
    for (m, s, backend) in matrix.trials(&backends) {
        let module = &matrix.modules[m];
        let name = sdk::trial_name(backend, &module.id(), &module.scenarios[s].0);
        // A release listed as not buildable here has one trial, skipped with its reason.
        let unbuilt = module.unbuildable.is_some();
        let matrix = Arc::clone(&matrix);
        trials.push(
            Trial::test(name, move || {
                let result = sdk::run_sdk_trial(&matrix, &matrix.modules[m], s, backend);
                if result.outcome.is_failure() {
                    Err(format!("{}: {}", result.outcome.name(), result.detail).into())
                } else {
                    Ok(())
                }
            })
            .with_ignored_flag(unbuilt),
        );
    }
    libtest_mimic::run(&args, trials).exit();
}
