//! `pwconf check`: run a scenario on the reference host, on one backend or all of them.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use pwconf_host::ReferenceHost;
use pwconf_host::proxy::Backends;
use pwconf_scenario::{self as scenario, Check, RunReport};
use serde::Serialize;
use serde_json::json;

pub struct Args {
    pub module: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub scenario: PathBuf,
    pub backend: String,
    pub workers: Option<usize>,
    pub real_time: bool,
    pub json: bool,
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

pub fn run(args: &Args) -> Result<()> {
    let scenario = scenario::load(&args.scenario)?;
    let registrations = pwconf_engines::select(&args.backend)?;
    let source = scenario::ConfigSource {
        config: args.config.clone(),
        module: args.module.clone(),
    };
    let config = scenario.resolve_config(&args.scenario, &source)?;
    let workers = args.workers.unwrap_or_else(|| {
        scenario.workers(
            &config,
            std::thread::available_parallelism().map_or(1, usize::from),
        )
    });
    let mut results = Vec::new();
    for reg in registrations {
        let start = scenario.start(config.clone(), workers, args.real_time);
        let run = pwconf_engines::shared(reg.name)
            .map_err(|e| scenario::HostError::Failed {
                message: e.to_string(),
            })
            .and_then(|backend| scenario.run(&mut ReferenceHost::new(Backends::Only(backend)), &start));
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
    if args.json {
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
        }
        crate::emit(&o)?;
    }
    if failed > 0 {
        return Err(NotMet(failed).into());
    }
    Ok(())
}
