//! The host's own scenarios (`conformance/host/**/*.scenario.yaml`) on every backend.
//! Trials are `<backend>::host::<name>`. The scenarios of SDK-built guests run as the SDK
//! matrix (`crates/suite/tests/sdk.rs`).

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use pwconf_host::ReferenceHost;
use pwconf_host::proxy::Backends;
use pwconf_scenario::{self as scenario, ConfigSource};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files_under(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, suffix, out);
        } else if path.to_string_lossy().ends_with(suffix) {
            out.push(path);
        }
    }
}

fn run(backend: &'static str, scenario_path: &Path) -> Result<(), Failed> {
    let scenario = scenario::load(scenario_path).map_err(|e| e.to_string())?;
    let source = ConfigSource {
        config: None,
        module: None,
    };
    let config = scenario
        .resolve_config(scenario_path, &source)
        .map_err(|e| e.to_string())?;
    let workers = scenario.workers(&config, 2);
    let backend = pwconf_engines::shared(backend).map_err(|e| e.to_string())?;
    let mut host = ReferenceHost::new(Backends::Only(backend));
    let start = scenario.start(config, workers, false);
    let (_report, checks) = scenario.run(&mut host, &start).map_err(|e| e.to_string())?;
    let failed: Vec<String> = checks
        .into_iter()
        .filter(|c| !c.met)
        .map(|c| format!("{}: expected {}, observed {}", c.what, c.expected, c.observed))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{}:\n  {}", scenario_path.display(), failed.join("\n  ")).into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let root = repo();
    let mut trials = Vec::new();

    let mut host = Vec::new();
    files_under(&root.join("conformance/host"), ".scenario.yaml", &mut host);
    for reg in pwconf_engines::REGISTRATIONS {
        let backend = reg.name;
        for path in &host {
            let rel = path.strip_prefix(root.join("conformance/host")).unwrap_or(path);
            let name = rel
                .to_string_lossy()
                .trim_end_matches(".scenario.yaml")
                .replace('/', "::");
            let path = path.clone();
            trials.push(Trial::test(format!("{backend}::host::{name}"), move || {
                run(backend, &path)
            }));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
