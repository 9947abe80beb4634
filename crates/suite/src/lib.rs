//! The conformance suite: cases are data (`conformance/<area>/<case>.yaml` with
//! `<case>.wat`), each a scenario plus the rules, hostcalls and callbacks it checks and the
//! ABI versions it runs under. This library loads and validates them, builds each case's
//! module per ABI version, runs a trial (case × backend × ABI) in isolation and judges it
//! against `conformance/divergences.yaml`. `cargo test` and `pwconf run` both use it.
//!
//! One job: the conformance suite and the SDK matrix as data and trials. Neighbours: it
//! reads cases (`conformance/`), plays them with `pwconf-scenario` on a host (the
//! reference host of `pwconf-host` on a backend of `pwconf-engines`, or any
//! `HostUnderTest`), and hands trial results to `pwconf-reports` and the CLI.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pwconf_abi::{AbiVersion, Spec};
use pwconf_scenario::observe::TraceEvent;
use pwconf_scenario::{ConfigSource, HostUnderTest, Scenario};
use serde::{Deserialize, Serialize};

use crate::coverage::Observed;

mod case;
pub mod coverage;
mod hosts;
pub mod mutants;
pub mod sdk;
pub mod select;
mod spec_coverage;
pub mod wat;

pub use case::CaseHeader;
pub use hosts::reference_host;
pub use spec_coverage::{Coverage, Covered, VersionCoverage, coverage, coverage_gaps, declared_coverage};

/// Folders under `conformance/` that hold other things than cases.
const NOT_AREAS: &[&str] = &["lib", "sdk", "host"];

/// Areas of cases that are about no one area of `spec/`: `adversarial` holds hostile
/// guests (loops, traps and bombs in start-up and callbacks), each expected to end the
/// same way on every engine with the host up.
const EXTRA_AREAS: &[&str] = &["adversarial"];

/// One case as loaded.
#[derive(Debug, Clone)]
pub struct Case {
    pub area: String,
    pub name: String,
    pub path: PathBuf,
    /// What the case is about: rules, hostcalls, callbacks, ABI versions, module.
    pub header: CaseHeader,
    pub scenario: Scenario,
    /// The module source: `<case>.wat` or the scenario's `module:`.
    pub module: PathBuf,
}

impl Case {
    /// `<area>/<case>`, the id used in divergences and reports.
    pub fn id(&self) -> String {
        format!("{}/{}", self.area, self.name)
    }
}

/// A problem with a case file, with its location.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct CaseError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

/// An expected divergence: a case that is known to fail on a backend and/or ABI version.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Divergence {
    /// `<area>/<case>`.
    pub case: String,
    #[serde(default)]
    pub backend: Option<String>,
    #[serde(default)]
    pub abi: Option<String>,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DivergencesFile {
    #[serde(default)]
    divergences: Vec<Divergence>,
}

/// All cases and divergences of a `conformance/` folder.
#[derive(Debug, Clone)]
pub struct Suite {
    pub root: PathBuf,
    pub cases: Vec<Case>,
    pub divergences: Vec<Divergence>,
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

fn location_of(message: &str) -> Option<usize> {
    // serde_yaml_ng ends its messages with "at line L column C".
    let at = message.rfind("at line ")?;
    message[at + 8..].split_whitespace().next()?.parse().ok()
}

impl Suite {
    /// The repository's suite.
    pub fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance")
    }

    /// Loads every case under `root`; every bad file is reported, not only the first.
    ///
    /// # Errors
    /// All problems found: unreadable files, unknown keys or wrong types, missing
    /// modules, unknown rule ids, hostcalls, callbacks or areas, stale divergences.
    pub fn load(root: &Path) -> Result<Suite, Vec<CaseError>> {
        let spec = Spec::embedded();
        let areas: BTreeSet<&str> = spec
            .hostcalls
            .iter()
            .map(|h| h.area.name())
            .chain(spec.callbacks.iter().map(|c| c.area.name()))
            .collect();
        let mut errors = Vec::new();
        let mut cases = Vec::new();
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
            .map(|r| {
                r.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect()
            })
            .unwrap_or_default();
        dirs.sort();
        for dir in dirs {
            let area = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if NOT_AREAS.contains(&area.as_str()) || area.starts_with('.') {
                continue;
            }
            if !areas.contains(area.as_str()) && !EXTRA_AREAS.contains(&area.as_str()) {
                errors.push(CaseError {
                    file: dir.display().to_string(),
                    line: None,
                    message: format!(
                        "\"{area}\" is not an area of spec/ ({})",
                        areas.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                });
                continue;
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|r| r.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            files.sort();
            for path in files
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            {
                match load_case(&area, &path, spec) {
                    Ok(case) => cases.push(case),
                    Err(mut e) => errors.append(&mut e),
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
                    line: location_of(&e.to_string()),
                    message: e.to_string(),
                }),
            }
            for d in &divergences {
                if !cases.iter().any(|c| c.id() == d.case) {
                    errors.push(CaseError {
                        file: divergences_path.display().to_string(),
                        line: line_of(&text, &d.case),
                        message: format!("divergence names no case: {}", d.case),
                    });
                }
            }
        }
        if errors.is_empty() {
            Ok(Suite {
                root: root.to_path_buf(),
                cases,
                divergences,
            })
        } else {
            Err(errors)
        }
    }

    /// The divergence that covers a trial, if any.
    pub fn divergence(&self, case: &Case, backend: &str, abi: AbiVersion) -> Option<&Divergence> {
        self.divergences.iter().find(|d| {
            d.case == case.id()
                && d.backend.as_deref().is_none_or(|b| b == backend)
                && d.abi.as_deref().is_none_or(|a| a == abi.as_str())
        })
    }
}

fn load_case(area: &str, path: &Path, spec: &Spec) -> Result<Case, Vec<CaseError>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![CaseError {
            file: file.clone(),
            line: None,
            message: format!("cannot read: {e}"),
        }]
    })?;
    let text = wat::case_yaml(&text, path).map_err(|message| {
        vec![CaseError {
            file: file.clone(),
            line: None,
            message,
        }]
    })?;
    let header = case::parse_header(&text).map_err(|message| {
        vec![CaseError {
            file: file.clone(),
            line: location_of(&message),
            message,
        }]
    })?;
    let scenario = pwconf_scenario::parse_beside(&text, &file, &CaseHeader::KEYS).map_err(|e| {
        vec![CaseError {
            file: file.clone(),
            line: location_of(&e.message),
            message: e.message,
        }]
    })?;
    let mut errors = Vec::new();
    let mut err = |needle: Option<&str>, message: String| {
        errors.push(CaseError {
            file: file.clone(),
            line: needle.and_then(|n| line_of(&text, n)),
            message,
        })
    };
    if scenario.description.trim().is_empty() {
        err(None, "a case needs a one-line `description`".into());
    }
    if header.rules.is_empty() {
        err(None, "a case names the rules it checks (`rules: [...]`)".into());
    }
    if header.abi.is_empty() {
        err(
            None,
            "a case lists the ABI versions it runs under (`abi: [...]`)".into(),
        );
    }
    for rule in &header.rules {
        if spec.rule(rule).is_none() {
            err(Some(rule), format!("unknown rule id {rule}"));
        }
    }
    for h in &header.hostcalls {
        if !spec.hostcalls.iter().any(|x| &x.name == h) {
            err(Some(h), format!("unknown hostcall {h}"));
        }
    }
    for c in &header.callbacks {
        if spec.callback(c).is_none() {
            err(Some(c), format!("unknown callback {c}"));
        }
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let module = match &header.module {
        Some(m) => path.with_file_name(m),
        None => path.with_extension("wat"),
    };
    if !module.exists() {
        err(
            header.module.as_deref(),
            format!("module {} is missing", module.display()),
        );
    }
    if errors.is_empty() {
        Ok(Case {
            area: area.to_string(),
            name: stem,
            path: path.to_path_buf(),
            header,
            scenario,
            module,
        })
    } else {
        Err(errors)
    }
}

/// Expands `;; @include <name>` lines with `conformance/lib/<name>.wat`, places the named
/// strings (`;; @str`, see [`wat`]) and adds the
/// marker export of `abi` (none when `abi` is `None`: the case checks markers itself). The
/// included imports go where the include stands (imports
/// must come first in a module); the rest of the library goes at the end of the module,
/// so a case may declare its own imports after the include.
///
/// # Errors
/// An unknown include, a module that already exports a marker, a malformed `;; @str`, or
/// text that is not a module.
pub fn module_text(source: &str, lib: &Path, abi: Option<AbiVersion>) -> Result<String, String> {
    let mut out = String::with_capacity(source.len() + 4096);
    let mut tail = String::new();
    for line in source.lines() {
        match line.trim().strip_prefix(";; @include ") {
            Some(name) => {
                let name = name.trim();
                let included = std::fs::read_to_string(lib.join(format!("{name}.wat")))
                    .map_err(|e| format!("@include {name}: {e}"))?;
                for l in included.lines() {
                    let target = if l.trim_start().starts_with("(import ") {
                        &mut out
                    } else {
                        &mut tail
                    };
                    target.push_str(l);
                    target.push('\n');
                }
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    let marker = match abi {
        Some(_) if out.contains("\"proxy_abi_version_") => {
            return Err("the module exports an ABI marker itself; the runner adds one per version".into());
        }
        Some(abi) => format!("  (func (export \"{}\"))\n", abi.marker()),
        None => String::new(),
    };
    let end = out.rfind(')').ok_or("not a module: no closing parenthesis")?;
    out.insert_str(end, &format!("\n{tail}\n{marker}"));
    wat::expand(&out)
}

/// How a trial ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Pass,
    Fail,
    ExpectedFail,
    UnexpectedPass,
    Skip,
}

impl Outcome {
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::ExpectedFail => "expected-fail",
            Outcome::UnexpectedPass => "unexpected-pass",
            Outcome::Skip => "skip",
        }
    }
    /// Whether this outcome fails a run.
    pub fn is_failure(&self) -> bool {
        matches!(self, Outcome::Fail | Outcome::UnexpectedPass)
    }
}

/// One trial's result.
#[derive(Debug, Clone, Serialize)]
pub struct TrialResult {
    pub case: String,
    pub area: String,
    pub backend: String,
    pub abi: AbiVersion,
    pub outcome: Outcome,
    pub detail: String,
    pub rules: Vec<String>,
    pub hostcalls: Vec<String>,
    pub duration_us: u128,
    /// Every `hostcall:STATUS` the run observed (for status coverage; not in the JSON).
    #[serde(skip)]
    pub statuses: BTreeSet<String>,
    /// The hostcalls and callbacks the run made (for observed coverage; not in the JSON).
    #[serde(skip)]
    pub observed: Observed,
}

/// Where built case modules go (inspectable after a run): the repository's `target/`
/// for its own suite, else a folder inside the suite.
fn build_dir(suite: &Suite) -> PathBuf {
    match suite.root.parent() {
        Some(repo) if repo.join("Cargo.toml").is_file() => repo.join("target/pwconf-cases"),
        _ => suite.root.join(".pwconf-cases"),
    }
}

/// Runs the case on the given backend and version, and decides its failure or success
/// before divergences are applied: `Ok(())` or the reason it failed.
fn run_case(
    suite: &Suite,
    case: &Case,
    abi: AbiVersion,
    host: &mut dyn HostUnderTest,
    statuses: &mut BTreeSet<String>,
    observed: &mut Observed,
) -> Result<(), String> {
    let source =
        std::fs::read_to_string(&case.module).map_err(|e| format!("{}: {e}", case.module.display()))?;
    let module_path = if case.module.extension().is_some_and(|e| e == "wat") {
        let marker = case.header.add_marker.then_some(abi);
        let text = module_text(&source, &suite.root.join("lib"), marker)
            .map_err(|e| format!("{}: {e}", case.module.display()))?;
        let dir = build_dir(suite).join(&case.area);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(format!("{}-{}.wat", case.name, abi.as_str().replace('.', "_")));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        path
    } else {
        case.module.clone()
    };
    let source = ConfigSource {
        config: None,
        module: Some(module_path),
        options: pwconf_engines::load_options(),
    };
    let config = case
        .scenario
        .resolve_config(&case.path, &source)
        .map_err(|e| e.to_string())?;
    let workers = case.scenario.workers(&config, 1);
    let start = case.scenario.start(config, workers, false);
    let (report, checks) = case.scenario.run(host, &start).map_err(|e| e.to_string())?;
    statuses.extend(
        report
            .trace
            .iter()
            .flat_map(|t| &t.events)
            .filter_map(|e| match e {
                TraceEvent::Hostcall {
                    name,
                    status: Some(status),
                    ..
                } => Some(format!("{name}:{status}")),
                _ => None,
            }),
    );
    *observed = Observed::of(&case.scenario, &report, &checks);
    let mut problems = unmet(&case.scenario, &report, checks);
    problems.extend(observed.unobserved(&case.header));
    problems.extend(
        report
            .logs
            .iter()
            .filter(|l| l.message.starts_with("pwconf-fail: "))
            .map(|l| format!("guest check failed: {}", &l.message["pwconf-fail: ".len()..])),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", case.path.display(), problems.join("; ")))
    }
}

/// What a run got wrong, one line each: the expectations it did not meet, and plugins
/// that did not start when the scenario does not expect start failures.
pub(crate) fn unmet(
    scenario: &Scenario,
    report: &pwconf_scenario::RunReport,
    checks: Vec<pwconf_scenario::Check>,
) -> Vec<String> {
    let mut problems: Vec<String> = checks
        .into_iter()
        .filter(|c| !c.met)
        .map(|c| format!("{}: expected {}, observed {}", c.what, c.expected, c.observed))
        .collect();
    if scenario.expect.start_failures.is_none() {
        problems.extend(
            report
                .start_failures
                .iter()
                .map(|f| format!("plugin {} did not start: {}", f.plugin, f.error)),
        );
    }
    problems
}

/// Runs one trial on the reference host, isolated: a panic inside is caught and reported
/// as a failure of this trial only (it is a host defect, and the other trials go on).
pub fn run_trial(suite: &Suite, case: &Case, backend: &str, abi: AbiVersion) -> TrialResult {
    match reference_host(backend) {
        Ok(mut host) => run_trial_on(suite, case, backend, abi, &mut host),
        Err(why) => run_trial_on(suite, case, backend, abi, &mut hosts::Unavailable(why)),
    }
}

/// Runs one trial on `host` (reported under `backend`), isolated as [`run_trial`]: how
/// the suite runs on another host, and on a deliberately broken one in its self-test.
pub fn run_trial_on(
    suite: &Suite,
    case: &Case,
    backend: &str,
    abi: AbiVersion,
    host: &mut dyn HostUnderTest,
) -> TrialResult {
    let start = Instant::now();
    let mut statuses = BTreeSet::new();
    let mut observed = Observed::default();
    let result = if !case.header.abi.contains(&abi) {
        Err(None)
    } else {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_case(suite, case, abi, host, &mut statuses, &mut observed)
        }))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("host panicked: {what}"))
        })
        .map_err(Some)
    };
    let divergence = suite.divergence(case, backend, abi);
    let (outcome, detail) = match (result, divergence) {
        (Err(None), _) => (Outcome::Skip, format!("the case does not run under ABI {abi}")),
        (Ok(()), None) => (Outcome::Pass, String::new()),
        (Err(Some(why)), None) => (Outcome::Fail, why),
        (Err(Some(why)), Some(d)) => (Outcome::ExpectedFail, format!("{} ({why})", d.reason)),
        (Ok(()), Some(d)) => (
            Outcome::UnexpectedPass,
            format!(
                "listed in divergences.yaml ({}) but passed: remove the entry",
                d.reason
            ),
        ),
    };
    TrialResult {
        case: case.id(),
        area: case.area.clone(),
        backend: backend.to_string(),
        abi,
        outcome,
        detail,
        rules: case.header.rules.clone(),
        hostcalls: case.header.hostcalls.clone(),
        duration_us: start.elapsed().as_micros(),
        statuses,
        observed,
    }
}
