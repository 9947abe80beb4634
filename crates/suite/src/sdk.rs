//! The SDK matrix: modules built with real Proxy-Wasm SDKs (`conformance/sdk/<sdk>/<filter>/`,
//! built by `scripts/build-guests` once per SDK version of `conformance/sdk/versions.tsv`),
//! each run against its filter's scenarios on every backend. A trial is module × scenario ×
//! backend; its outcome is judged against `conformance/sdk/divergences.yaml` as the
//! conformance cases are against theirs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use pwconf_abi::{AbiVersion, Spec, inspect};
use pwconf_scenario::{self as scenario, ConfigSource, Scenario};
use serde::{Deserialize, Serialize};

use crate::{CaseError, Outcome};

/// The version label of modules built from a local SDK checkout (`--sdk-path`).
pub const LOCAL_VERSION: &str = "local";

/// The toolchain column's prefix for a release this machine cannot build.
const UNBUILDABLE: &str = "unbuildable:";

/// The module standing for every filter of a release that is not built, and its one trial.
pub const UNBUILT_FILTER: &str = "all";
pub const UNBUILT_SCENARIO: &str = "not-buildable";

/// One line of `versions.tsv` (or of the build's `local.tsv`).
#[derive(Debug, Clone, Serialize)]
pub struct SdkVersion {
    pub sdk: String,
    pub version: String,
    /// The ABI the built modules must declare; `None` for a local checkout.
    pub abi: Option<AbiVersion>,
    pub targets: Vec<String>,
    pub toolchain: String,
    /// Why this release is not built here (the toolchain column's `unbuildable: <reason>`).
    pub unbuildable: Option<String>,
}

/// One built module: a filter of an SDK at one version and target.
#[derive(Debug, Clone)]
pub struct SdkModule {
    pub sdk: String,
    pub filter: String,
    pub version: String,
    pub target: String,
    pub expected_abi: Option<AbiVersion>,
    /// Where `scripts/build-guests` puts it.
    pub wasm: PathBuf,
    pub scenarios: Vec<(String, Scenario, PathBuf)>,
    /// Set for a release listed as not buildable here: its one trial is skipped with this
    /// reason, so the gap shows in the reports.
    pub unbuildable: Option<String>,
}

impl SdkModule {
    /// `<sdk>/<filter>-<version>-<target>`, as the built file is named.
    pub fn id(&self) -> String {
        format!("{}/{}-{}-{}", self.sdk, self.filter, self.version, self.target)
    }
}

/// A trial known to fail, with the reason; every field but `sdk` and `reason` narrows it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SdkDivergence {
    pub sdk: String,
    #[serde(default)]
    pub filter: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub scenario: Option<String>,
    #[serde(default)]
    pub backend: Option<String>,
    pub reason: String,
}

impl SdkDivergence {
    fn covers(&self, module: &SdkModule, scenario: &str, backend: Option<&str>) -> bool {
        let fits = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        self.sdk == module.sdk
            && fits(&self.filter, &module.filter)
            && fits(&self.version, &module.version)
            && fits(&self.target, &module.target)
            && fits(&self.scenario, scenario)
            && backend.is_none_or(|b| fits(&self.backend, b))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DivergencesFile {
    #[serde(default)]
    divergences: Vec<SdkDivergence>,
}

/// Every module of the matrix with its scenarios, and the divergences.
#[derive(Debug, Clone)]
pub struct SdkMatrix {
    pub root: PathBuf,
    pub guests: PathBuf,
    pub versions: Vec<SdkVersion>,
    pub modules: Vec<SdkModule>,
    pub divergences: Vec<SdkDivergence>,
}

/// One trial's result.
#[derive(Debug, Clone, Serialize)]
pub struct SdkResult {
    pub sdk: String,
    pub filter: String,
    pub version: String,
    pub target: String,
    /// The ABI the module declares (`None` when it could not be read).
    pub abi: Option<AbiVersion>,
    pub scenario: String,
    pub backend: String,
    pub outcome: Outcome,
    pub detail: String,
    pub duration_us: u128,
}

impl SdkResult {
    /// `<sdk>/<filter>-<version>-<target>`.
    pub fn module(&self) -> String {
        format!("{}/{}-{}-{}", self.sdk, self.filter, self.version, self.target)
    }

    /// The trial's name: `<backend>::sdk::<module>::<scenario>`.
    pub fn name(&self) -> String {
        trial_name(&self.backend, &self.module(), &self.scenario)
    }
}

/// `<backend>::sdk::<module>::<scenario>`, the name in `cargo test` and `pwconf run --filter`.
pub fn trial_name(backend: &str, module: &str, scenario: &str) -> String {
    format!("{backend}::sdk::{module}::{scenario}")
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Parses `versions.tsv` (or `local.tsv`, whose 5th column is the checkout's path).
fn parse_versions(path: &Path, text: &str, local: bool, errors: &mut Vec<CaseError>) -> Vec<SdkVersion> {
    let mut versions = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut err = |message: String| {
            errors.push(CaseError {
                file: path.display().to_string(),
                line: Some(i + 1),
                message,
            })
        };
        let fields: Vec<&str> = line.split('\t').collect();
        let [sdk, version, abi, targets, toolchain] = fields.as_slice() else {
            err(format!(
                "expected 5 tab-separated columns (sdk, version, abi, targets, toolchain), found {}",
                fields.len()
            ));
            continue;
        };
        let abi = if local || *abi == "-" {
            None
        } else {
            match abi.parse::<AbiVersion>() {
                Ok(v) => Some(v),
                Err(_) => {
                    err(format!(
                        "unknown ABI version \"{abi}\" (one of {})",
                        AbiVersion::ALL.map(|v| v.as_str()).join(", ")
                    ));
                    continue;
                }
            }
        };
        let targets: Vec<String> = targets
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        if targets.is_empty() {
            err(format!("{sdk} {version}: no targets"));
            continue;
        }
        versions.push(SdkVersion {
            sdk: sdk.to_string(),
            version: if local {
                LOCAL_VERSION.to_string()
            } else {
                version.to_string()
            },
            abi,
            targets,
            toolchain: toolchain.to_string(),
            unbuildable: toolchain
                .strip_prefix(UNBUILDABLE)
                .map(|reason| reason.trim().to_string()),
        });
    }
    versions
}

impl SdkMatrix {
    /// The repository's `conformance/sdk`.
    pub fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance/sdk")
    }

    /// Where `scripts/build-guests` puts the modules of the SDK folder `root`: the
    /// repository's `target/guests`.
    pub fn guests_dir(root: &Path) -> PathBuf {
        match root.parent().and_then(Path::parent) {
            Some(repo) if repo.join("Cargo.toml").is_file() => repo.join("target/guests"),
            _ => root.join(".guests"),
        }
    }

    /// Whether `dir` is an SDK folder (it has a `versions.tsv`).
    pub fn is_sdk_dir(dir: &Path) -> bool {
        dir.join("versions.tsv").is_file()
    }

    /// Loads the versions, the filters and their scenarios, and the divergences; every
    /// bad file is reported, not only the first. Modules need not be built yet: a missing
    /// one fails its trials.
    ///
    /// # Errors
    /// All problems found: a malformed `versions.tsv` line, an SDK without a folder, a
    /// filter without scenarios, a scenario that does not parse, a divergence naming
    /// nothing.
    pub fn load(root: &Path, guests: &Path) -> Result<SdkMatrix, Vec<CaseError>> {
        let mut errors = Vec::new();
        let versions_path = root.join("versions.tsv");
        let mut versions = match std::fs::read_to_string(&versions_path) {
            Ok(text) => parse_versions(&versions_path, &text, false, &mut errors),
            Err(e) => {
                errors.push(CaseError {
                    file: versions_path.display().to_string(),
                    line: None,
                    message: format!("cannot read: {e}"),
                });
                Vec::new()
            }
        };
        let local_path = guests.join("local.tsv");
        if let Ok(text) = std::fs::read_to_string(&local_path) {
            versions.extend(parse_versions(&local_path, &text, true, &mut errors));
        }
        let mut modules = Vec::new();
        // Each SDK once, in the order of first appearance (local checkouts come last).
        let mut sdks: Vec<&str> = Vec::new();
        for v in &versions {
            if !sdks.contains(&v.sdk.as_str()) {
                sdks.push(&v.sdk);
            }
        }
        for sdk in sdks {
            let sdk_dir = root.join(sdk);
            let of_sdk = || versions.iter().filter(move |v| v.sdk == sdk);
            for v in of_sdk().filter(|v| v.unbuildable.is_some()) {
                modules.extend(
                    v.targets
                        .iter()
                        .map(|target| unbuilt_module(v, target, &versions_path)),
                );
            }
            if of_sdk().all(|v| v.unbuildable.is_some()) {
                // Nothing of this SDK is built: it needs no folder.
                continue;
            }
            if !sdk_dir.is_dir() {
                errors.push(CaseError {
                    file: versions_path.display().to_string(),
                    line: None,
                    message: format!("SDK \"{sdk}\" has no folder {}", sdk_dir.display()),
                });
                continue;
            }
            let mut filters = Vec::new();
            // `versions/` holds per-version toolchain manifests (package.json and its lock).
            for dir in sorted_entries(&sdk_dir)
                .into_iter()
                .filter(|p| p.is_dir() && name_of(p) != "versions")
            {
                let scenario_dir = dir.join("scenarios");
                let mut scenarios = Vec::new();
                for path in sorted_entries(&scenario_dir)
                    .into_iter()
                    .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                {
                    let stem = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    match scenario::load(&path) {
                        Ok(s) => scenarios.push((stem, s, path)),
                        Err(e) => errors.push(CaseError {
                            file: path.display().to_string(),
                            line: crate::location_of(&e.to_string()),
                            message: e.to_string(),
                        }),
                    }
                }
                if scenarios.is_empty()
                    && !errors
                        .iter()
                        .any(|e| e.file.contains(&*scenario_dir.to_string_lossy()))
                {
                    errors.push(CaseError {
                        file: dir.display().to_string(),
                        line: None,
                        message: "a filter needs at least one scenarios/*.yaml".to_string(),
                    });
                }
                filters.push((name_of(&dir), scenarios));
            }
            for v in of_sdk().filter(|v| v.unbuildable.is_none()) {
                for (filter, scenarios) in &filters {
                    for target in &v.targets {
                        let file = format!("{filter}-{}-{target}.wasm", v.version);
                        modules.push(SdkModule {
                            sdk: sdk.to_string(),
                            filter: filter.clone(),
                            version: v.version.clone(),
                            target: target.clone(),
                            expected_abi: v.abi,
                            wasm: guests.join(sdk).join(file),
                            scenarios: scenarios.clone(),
                            unbuildable: None,
                        });
                    }
                }
            }
        }
        let divergences_path = root.join("divergences.yaml");
        let mut divergences = Vec::new();
        if let Ok(text) = std::fs::read_to_string(&divergences_path) {
            match serde_yaml_ng::from_str::<DivergencesFile>(&text) {
                Ok(file) => divergences = file.divergences,
                Err(e) => errors.push(CaseError {
                    file: divergences_path.display().to_string(),
                    line: crate::location_of(&e.to_string()),
                    message: e.to_string(),
                }),
            }
            for d in &divergences {
                let names_something = modules
                    .iter()
                    .any(|m| m.scenarios.iter().any(|(s, _, _)| d.covers(m, s, None)));
                if !names_something {
                    errors.push(CaseError {
                        file: divergences_path.display().to_string(),
                        line: None,
                        message: format!("divergence names no module or scenario: {d:?}"),
                    });
                }
            }
        }
        if errors.is_empty() {
            Ok(SdkMatrix {
                root: root.to_path_buf(),
                guests: guests.to_path_buf(),
                versions,
                modules,
                divergences,
            })
        } else {
            Err(errors)
        }
    }

    /// The divergence that covers a trial, if any.
    pub fn divergence(&self, module: &SdkModule, scenario: &str, backend: &str) -> Option<&SdkDivergence> {
        self.divergences
            .iter()
            .find(|d| d.covers(module, scenario, Some(backend)))
    }

    /// Every trial as (module index, scenario index, backend), in the order of the tests.
    pub fn trials<'a>(&self, backends: &[&'a str]) -> Vec<(usize, usize, &'a str)> {
        let mut trials = Vec::new();
        for backend in backends {
            for (m, module) in self.modules.iter().enumerate() {
                for s in 0..module.scenarios.len() {
                    trials.push((m, s, *backend));
                }
            }
        }
        trials
    }
}

/// The one module of a release that is not built: every filter, one skipped trial whose
/// detail is the reason.
fn unbuilt_module(version: &SdkVersion, target: &str, versions_path: &Path) -> SdkModule {
    // A scenario of no steps stands for the trial that is never run.
    let scenario = serde_yaml_ng::from_str::<Scenario>("steps: []").ok();
    SdkModule {
        sdk: version.sdk.clone(),
        filter: UNBUILT_FILTER.to_string(),
        version: version.version.clone(),
        target: target.to_string(),
        expected_abi: version.abi,
        wasm: PathBuf::new(),
        scenarios: scenario
            .into_iter()
            .map(|s| (UNBUILT_SCENARIO.to_string(), s, versions_path.to_path_buf()))
            .collect(),
        unbuildable: version.unbuildable.clone(),
    }
}

/// Reads the module's declared ABI and checks it is the one `versions.tsv` promises.
fn module_abi(module: &SdkModule) -> Result<AbiVersion, String> {
    if !module.wasm.exists() {
        let build = match module.version.as_str() {
            LOCAL_VERSION => format!("scripts/build-guests --sdk-path {}=DIR", module.sdk),
            _ => format!("scripts/build-guests --only {}/{}", module.sdk, module.filter),
        };
        return Err(format!(
            "{} is missing: the module is not built; build it with `{build}` (or every module with `scripts/build-guests`)",
            module.wasm.display()
        ));
    }
    let bytes = inspect::load_module_file(&module.wasm).map_err(|e| e.to_string())?;
    let shown = module.wasm.display().to_string();
    let report = inspect::inspect(&shown, &bytes, Spec::embedded()).map_err(|e| e.to_string())?;
    let found = report.abi.version.ok_or_else(|| {
        format!(
            "{shown} declares no supported ABI version ({})",
            report
                .abi
                .marker
                .as_deref()
                .unwrap_or("no proxy_abi_version_* export")
        )
    })?;
    match module.expected_abi {
        Some(want) if want != found => Err(format!(
            "{shown} declares ABI {found}, but versions.tsv says {} {} builds ABI {want}",
            module.sdk, module.version
        )),
        _ => Ok(found),
    }
}

fn run_scenario(module: &SdkModule, scenario: &Scenario, path: &Path, backend: &str) -> Result<(), String> {
    let source = ConfigSource {
        config: None,
        module: Some(module.wasm.clone()),
        options: pwconf_engines::load_options(),
    };
    let config = scenario
        .resolve_config(path, &source)
        .map_err(|e| e.to_string())?;
    let workers = scenario.workers(&config, 1);
    let mut host = crate::reference_host(backend)?;
    let start = scenario.start(config, workers, false);
    let (report, checks) = scenario.run(&mut host, &start).map_err(|e| e.to_string())?;
    let mut problems = crate::unmet(scenario, &report, checks);
    // A module that traps fails its trial even when it happens after the steps' checks
    // (a panic in a late callback), unless the scenario expects exactly that.
    if !scenario
        .expect
        .logs
        .iter()
        .any(|l| l.contains.contains("trapped"))
    {
        problems.extend(
            report
                .logs
                .iter()
                .filter(|l| l.message.ends_with("; the VM is failed"))
                .map(|l| format!("the module trapped: {}", l.message)),
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// The first of a trial's problems, cut before any backtrace and at 120 characters.
fn first_symptom(why: &str) -> String {
    let first = why.split("; ").next().unwrap_or(why);
    let first = first
        .split(": error while executing at wasm backtrace")
        .next()
        .unwrap_or(first);
    match first.char_indices().nth(120) {
        Some((cut, _)) => format!("{}…", &first[..cut]),
        None => first.to_string(),
    }
}

/// Runs one trial, isolated: a host panic is caught and fails this trial only.
pub fn run_sdk_trial(matrix: &SdkMatrix, module: &SdkModule, scenario: usize, backend: &str) -> SdkResult {
    let start = Instant::now();
    let (name, parsed, path) = &module.scenarios[scenario];
    if let Some(reason) = &module.unbuildable {
        return SdkResult {
            sdk: module.sdk.clone(),
            filter: module.filter.clone(),
            version: module.version.clone(),
            target: module.target.clone(),
            abi: None,
            scenario: name.clone(),
            backend: backend.to_string(),
            outcome: Outcome::Skip,
            detail: format!("not buildable here: {reason}"),
            duration_us: start.elapsed().as_micros(),
        };
    }
    let abi = module_abi(module);
    let result = abi.as_ref().map_err(Clone::clone).and_then(|_| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_scenario(module, parsed, path, backend)
        }))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("host panicked: {what}"))
        })
    });
    // A module that was not built says nothing about the SDK: it fails, whatever the
    // divergences expect of it, so that an unbuilt matrix never looks like a known state.
    let divergence = if module.wasm.exists() {
        matrix.divergence(module, name, backend)
    } else {
        None
    };
    let (outcome, detail) = match (result, divergence) {
        (Ok(()), None) => (Outcome::Pass, String::new()),
        (Err(why), None) => (Outcome::Fail, why),
        // The reason says it all; the first symptom is kept, short, to show it still holds
        // (full symptoms carry backtraces and paths that differ between machines).
        (Err(why), Some(d)) => (
            Outcome::ExpectedFail,
            format!("{} (observed: {})", d.reason, first_symptom(&why)),
        ),
        (Ok(()), Some(d)) => (
            Outcome::UnexpectedPass,
            format!(
                "listed in conformance/sdk/divergences.yaml ({}) but passed: remove the entry",
                d.reason
            ),
        ),
    };
    SdkResult {
        sdk: module.sdk.clone(),
        filter: module.filter.clone(),
        version: module.version.clone(),
        target: module.target.clone(),
        abi: abi.ok(),
        scenario: name.clone(),
        backend: backend.to_string(),
        outcome,
        detail,
        duration_us: start.elapsed().as_micros(),
    }
}

#[cfg(test)]
#[path = "sdk_tests.rs"]
mod tests;
