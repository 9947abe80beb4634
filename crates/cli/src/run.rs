//! `pwconf run`: the conformance suite on every chosen backend and ABI version.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Result, bail};
use pwconf_abi::AbiVersion;
use pwconf_suite::select::{Selection, result_name, trial_name};
use pwconf_suite::{Outcome, Suite, TrialResult};
use serde_json::json;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunFormat {
    Human,
    Json,
    Junit,
}

pub struct Args {
    pub suite: Option<PathBuf>,
    pub backend: String,
    pub abi: Option<AbiVersion>,
    pub selection: Selection,
    /// Print the selected trials' names instead of running them.
    pub list: bool,
    pub jobs: Option<usize>,
    pub format: RunFormat,
}

impl Args {
    /// The whole suite on every backend, quietly.
    pub fn all(suite: Option<PathBuf>) -> Args {
        Args {
            suite,
            backend: "all".to_string(),
            abi: None,
            selection: Selection::default(),
            list: false,
            jobs: None,
            format: RunFormat::Json,
        }
    }
}

/// The suite's cases could not be loaded; every problem has been printed.
#[derive(Debug, thiserror::Error)]
#[error("{0} problem(s) in the suite's files")]
pub struct BadSuite(pub usize);

/// The run had failures (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{0} trial(s) failed")]
pub struct RunFailed(pub usize);

/// The selection matched no trial (exit code 4, as nextest's "no tests to run").
#[derive(Debug, thiserror::Error)]
#[error("no tests to run: {0}")]
pub struct NoTests(pub String);

/// Fails with [`NoTests`] when a selection left nothing of `total` trials.
pub(crate) fn require_some(selected: usize, total: usize, args: &Args) -> Result<()> {
    if selected > 0 {
        return Ok(());
    }
    let s = &args.selection;
    let why = if total == 0 {
        "the suite has no trials for this backend and ABI choice".to_string()
    } else {
        let mut parts: Vec<String> = s.filters.iter().map(|f| format!("--filter {f}")).collect();
        parts.extend(s.skip.iter().map(|f| format!("--skip {f}")));
        if s.exact {
            parts.push("--exact".to_string());
        }
        if s.partition.is_some() {
            parts.push("the partition".to_string());
        }
        format!(
            "{} matched none of {total} trials (`--list` shows their names)",
            parts.join(" ")
        )
    };
    Err(NoTests(why).into())
}

/// One planned conformance trial: its name, backend, case index and ABI version.
pub struct Planned {
    pub name: String,
    pub backend: &'static str,
    pub case: usize,
    pub abi: AbiVersion,
}

/// Loads the suite and chooses the trials, without running them.
pub fn plan(args: &Args) -> Result<(Suite, Vec<Planned>)> {
    let root = args.suite.clone().unwrap_or_else(|| {
        let local = PathBuf::from("conformance");
        if local.join("lib").is_dir() {
            local
        } else {
            Suite::repo_root()
        }
    });
    if !root.is_dir() {
        bail!("--suite {}: no such folder", root.display());
    }
    let suite = match Suite::load(&root) {
        Ok(s) => s,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            return Err(BadSuite(errors.len()).into());
        }
    };
    let registrations = pwconf_engines::select(&args.backend)?;
    // Trials in the same order and with the same names as `cargo test -p pwconf-suite`.
    let mut trials = Vec::new();
    for reg in &registrations {
        for (i, case) in suite.cases.iter().enumerate() {
            for abi in AbiVersion::ALL {
                if args.abi.is_some_and(|a| a != abi) || !case.header.abi.contains(&abi) {
                    continue;
                }
                trials.push(Planned {
                    name: trial_name(reg.name, &case.area, &case.name, abi),
                    backend: reg.name,
                    case: i,
                    abi,
                });
            }
        }
    }
    let total = trials.len();
    let trials = args.selection.apply(trials, |t| t.name.as_str());
    if !args.list {
        require_some(trials.len(), total, args)?;
    }
    Ok((suite, trials))
}

/// Loads the suite and runs the selected trials.
pub fn execute(args: &Args) -> Result<(Suite, Vec<TrialResult>)> {
    let (suite, trials) = plan(args)?;
    let results = parallel(
        &trials,
        args,
        |t| pwconf_suite::run_trial(&suite, &suite.cases[t.case], t.backend, t.abi),
        |t| t.name.clone(),
    )?;
    Ok((suite, results))
}

/// `--list`: the names one per line (what `--filter --exact` takes), or as JSON.
pub(crate) fn print_list(names: Vec<serde_json::Value>, format: RunFormat) -> Result<()> {
    if format == RunFormat::Json {
        return crate::print_json(&json!({ "trials": names }));
    }
    let mut o = String::new();
    for n in &names {
        o.push_str(n["name"].as_str().unwrap_or_default());
        o.push('\n');
    }
    crate::emit(&o)
}

/// Runs `work` on every item with `args.jobs` threads (default: the cores), keeping the
/// items' order, with a progress bar on a terminal for human output.
pub(crate) fn parallel<T: Sync, R: Send>(
    items: &[T],
    args: &Args,
    work: impl Fn(&T) -> R + Sync,
    label: impl Fn(&T) -> String + Sync,
) -> Result<Vec<R>> {
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let bar = (args.format == RunFormat::Human && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(items.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        bar
    });
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(k) else {
                        break;
                    };
                    let result = work(item);
                    if let Some(bar) = &bar {
                        bar.set_message(label(item));
                        bar.inc(1);
                    }
                    if let Ok(mut all) = results.lock() {
                        all[k] = Some(result);
                    }
                }
            });
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    Ok(results
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a trial worker panicked"))?
        .into_iter()
        .flatten()
        .collect())
}

pub fn run(args: &Args) -> Result<()> {
    if let Some(root) = crate::sdk::suite_root(args.suite.as_deref()) {
        return crate::sdk::run(args, &root);
    }
    if args.list {
        let (suite, trials) = plan(args)?;
        let names = trials
            .iter()
            .map(|t| {
                let case = &suite.cases[t.case];
                json!({"name": t.name, "backend": t.backend, "area": case.area,
                       "case": case.name, "abi": t.abi, "path": case.path.display().to_string()})
            })
            .collect();
        return print_list(names, args.format);
    }
    let (_suite, results) = execute(args)?;
    let count = |o: Outcome| results.iter().filter(|r| r.outcome == o).count();
    let (passed, failed, expected, unexpected, skipped) = (
        count(Outcome::Pass),
        count(Outcome::Fail),
        count(Outcome::ExpectedFail),
        count(Outcome::UnexpectedPass),
        count(Outcome::Skip),
    );
    match args.format {
        RunFormat::Json => crate::print_json(&json!({
            "results": results,
            "summary": {
                "total": results.len(),
                "passed": passed,
                "failed": failed,
                "expected_fail": expected,
                "unexpected_pass": unexpected,
                "skipped": skipped,
            },
        }))?,
        RunFormat::Junit => crate::emit(&crate::junit::trials(&results)?)?,
        RunFormat::Human => {
            let mut o = String::new();
            for r in results.iter().filter(|r| r.outcome.is_failure()) {
                o.push_str(&format!(
                    "{} {}: {}\n",
                    r.outcome.name().to_uppercase(),
                    result_name(r),
                    r.detail
                ));
            }
            o.push_str(&format!(
                "{} passed, {} failed, {expected} expected-fail, {skipped} skipped\n",
                passed,
                failed + unexpected
            ));
            crate::emit(&o)?;
        }
    }
    if failed + unexpected > 0 {
        return Err(RunFailed(failed + unexpected).into());
    }
    Ok(())
}
