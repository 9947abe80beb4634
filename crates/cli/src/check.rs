//! `pwconf check`: run a scenario on the reference host, on one backend or all of them.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Result, bail};
use pwconf_host::ReferenceHost;
use pwconf_host::proxy::Backends;
use pwconf_scenario::{self as scenario, Check, RunReport};
use serde::Serialize;
use serde_json::json;

use crate::run::RunFormat;

pub struct Args {
    pub module: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub scenario: PathBuf,
    pub backend: String,
    pub workers: Option<usize>,
    pub real_time: bool,
    pub verbose: bool,
    pub format: RunFormat,
}

/// Some expectation was not met (exit code 1; the report says which).
#[derive(Debug, thiserror::Error)]
#[error("{0} expectation(s) not met")]
pub struct NotMet(pub usize);

#[derive(Serialize)]
struct BackendResult {
    backend: &'static str,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    checks: Vec<Check>,
    #[serde(flatten)]
    report: RunReport,
}

/// Fails, naming the path as the user gave it, when a file named on the command line is
/// not there (the host would otherwise blame the configuration it was put into).
fn require_file(flag: &str, path: &std::path::Path) -> Result<()> {
    if !path.is_file() {
        let why = if path.exists() {
            "not a file"
        } else {
            "no such file"
        };
        bail!("{flag} {}: {why}", path.display());
    }
    Ok(())
}

/// A module named on the command line is bad input (exit 2) when its path cannot be put
/// into a configuration (Envoy's `filename` is a UTF-8 string) or its bytes are not a
/// valid module; otherwise every backend would report the same failure as unmet.
fn require_valid_module(path: &std::path::Path) -> Result<()> {
    if path.to_str().is_none() {
        bail!(
            "module {}: the path is not UTF-8, and a configuration names code by a UTF-8 filename",
            path.display()
        );
    }
    let bytes = pwconf_abi::inspect::load_module_file(path)?;
    pwconf_abi::inspect::inspect(&path.display().to_string(), &bytes, pwconf_abi::Spec::embedded())?;
    Ok(())
}

pub fn run(args: &Args) -> Result<()> {
    require_file("--scenario", &args.scenario)?;
    if let Some(module) = &args.module {
        require_file("module", module)?;
        require_valid_module(module)?;
    }
    if let Some(config) = &args.config {
        require_file("--config", config)?;
    }
    let scenario = scenario::load(&args.scenario)?;
    let registrations = pwconf_engines::select(&args.backend)?;
    let source = scenario::ConfigSource {
        config: args.config.clone(),
        module: args.module.clone(),
        options: pwconf_engines::load_options(),
    };
    let config = scenario.resolve_config(&args.scenario, &source)?;
    let workers = args.workers.unwrap_or_else(|| {
        scenario.workers(
            &config,
            std::thread::available_parallelism().map_or(1, usize::from),
        )
    });
    // The trace is recorded only when something reads it: an expectation on it, the
    // verbose view, or a machine-readable report (which carries it).
    let reads_trace = args.verbose
        || args.format != RunFormat::Human
        || !scenario.expect.trace.is_empty()
        || !scenario.expect.absent_trace.is_empty();
    let mut results = Vec::new();
    for reg in registrations {
        let start = scenario.start(config.clone(), workers, args.real_time);
        let run = pwconf_engines::shared(reg.name)
            .map_err(|e| scenario::HostError::Failed {
                message: e.to_string(),
            })
            .and_then(|backend| {
                let host = ReferenceHost::new(Backends::Only(backend));
                let mut host = if reads_trace { host } else { host.without_trace() };
                scenario.run(&mut host, &start)
            });
        let result = match run {
            Ok((report, checks)) => BackendResult {
                backend: reg.name,
                ok: checks.iter().all(|c| c.met),
                error: None,
                checks,
                report,
            },
            Err(e) => BackendResult {
                backend: reg.name,
                ok: false,
                error: Some(e.to_string()),
                checks: Vec::new(),
                report: RunReport::default(),
            },
        };
        results.push(result);
    }
    let failed: usize = results
        .iter()
        .map(|r| r.checks.iter().filter(|c| !c.met).count() + usize::from(r.error.is_some()))
        .sum();
    if args.format == RunFormat::Junit {
        crate::emit(&junit(&args.scenario, &results)?)?;
    } else if args.format == RunFormat::Json {
        crate::print_json(&json!({
            "scenario": args.scenario.display().to_string(),
            "ok": failed == 0,
            "backends": results,
        }))?;
    } else {
        let mut o = String::new();
        let _ = writeln!(o, "scenario: {}", args.scenario.display());
        if !scenario.description.is_empty() {
            let _ = writeln!(o, "  {}", scenario.description);
        }
        for r in &results {
            let met = r.checks.iter().filter(|c| c.met).count();
            let _ = writeln!(o, "== {}: {met}/{} met", r.backend, r.checks.len());
            if let Some(e) = &r.error {
                let _ = writeln!(o, "  ERROR {e}");
            }
            for f in &r.report.start_failures {
                let _ = writeln!(o, "  start failure on {}: {}: {}", f.thread, f.plugin, f.error);
            }
            for c in &r.checks {
                if c.met {
                    let _ = writeln!(o, "  ok    {}: {}", c.what, c.observed);
                } else {
                    let _ = writeln!(
                        o,
                        "  FAIL  {}: expected {}, observed {}",
                        c.what, c.expected, c.observed
                    );
                }
            }
            o.push_str(&crate::verbose::report(&r.report, args.verbose));
        }
        crate::emit(&o)?;
    }
    if failed > 0 {
        return Err(NotMet(failed).into());
    }
    Ok(())
}

/// One `<testsuite>` per backend, one `<testcase>` per expectation (classname: the
/// scenario), a run that could not start as one failing case.
fn junit(scenario: &std::path::Path, results: &[BackendResult]) -> Result<String> {
    use pwconf_suite::Outcome;
    let classname = scenario.display().to_string();
    // (backend, name, outcome, detail)
    let mut cases: Vec<(&str, String, Outcome, String)> = Vec::new();
    for r in results {
        if let Some(e) = &r.error {
            cases.push((r.backend, format!("{}::run", r.backend), Outcome::Fail, e.clone()));
        }
        for c in &r.checks {
            let (outcome, detail) = if c.met {
                (Outcome::Pass, String::new())
            } else {
                (
                    Outcome::Fail,
                    format!("{}: expected {}, observed {}", c.what, c.expected, c.observed),
                )
            };
            cases.push((r.backend, format!("{}::{}", r.backend, c.what), outcome, detail));
        }
    }
    let rows: Vec<crate::junit::Row> = cases
        .iter()
        .map(|(backend, name, outcome, detail)| crate::junit::Row {
            backend,
            name: name.clone(),
            classname: classname.clone(),
            outcome: *outcome,
            detail,
            context: String::new(),
            duration_us: 0,
        })
        .collect();
    crate::junit::render("pwconf-check", &rows)
}
