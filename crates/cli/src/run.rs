//! `pwconf run`: the conformance suite on every chosen backend and ABI version.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use pwconf_abi::AbiVersion;
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
    pub filter: Option<String>,
    pub shard: Option<String>,
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
            filter: None,
            shard: None,
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

pub(crate) fn parse_shard(text: &str) -> Result<(usize, usize)> {
    let (i, n) = text.split_once('/').context("--shard takes I/N, e.g. 1/4")?;
    let (i, n): (usize, usize) = (i.parse().context("--shard I")?, n.parse().context("--shard N")?);
    if n == 0 || i == 0 || i > n {
        bail!("--shard {text}: I must be between 1 and N");
    }
    Ok((i, n))
}

/// Loads the suite and runs the selected trials.
pub fn execute(args: &Args) -> Result<(Suite, Vec<TrialResult>)> {
    let root = args.suite.clone().unwrap_or_else(|| {
        let local = PathBuf::from("conformance");
        if local.join("lib").is_dir() {
            local
        } else {
            Suite::repo_root()
        }
    });
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
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    // Trials in the same order and with the same names as `cargo test -p pwconf-suite`.
    let mut trials = Vec::new();
    for reg in &registrations {
        for (i, case) in suite.cases.iter().enumerate() {
            for abi in AbiVersion::ALL {
                if args.abi.is_some_and(|a| a != abi) || !case.header.abi.contains(&abi) {
                    continue;
                }
                let name = format!("{}::{}::{}::{}", reg.name, case.area, case.name, abi);
                if args.filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
                    continue;
                }
                trials.push((name, reg.name, i, abi));
            }
        }
    }
    if let Some((i, n)) = shard {
        trials = trials
            .into_iter()
            .enumerate()
            .filter(|(k, _)| k % n == i - 1)
            .map(|(_, t)| t)
            .collect();
    }
    let results = parallel(
        &trials,
        args,
        |(_, backend, case, abi)| pwconf_suite::run_trial(&suite, &suite.cases[*case], backend, *abi),
        |(name, ..)| name.clone(),
    )?;
    Ok((suite, results))
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
        RunFormat::Junit => crate::emit(&junit(&results)?)?,
        RunFormat::Human => {
            let mut o = String::new();
            for r in results.iter().filter(|r| r.outcome.is_failure()) {
                o.push_str(&format!(
                    "{} {}::{}::{}: {}\n",
                    r.outcome.name().to_uppercase(),
                    r.backend,
                    r.case,
                    r.abi,
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

fn junit(results: &[TrialResult]) -> Result<String> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new("pwconf");
    let mut suites: Vec<TestSuite> = Vec::new();
    for r in results {
        let suite_name = format!("{}::{}", r.backend, r.area);
        if suites.last().is_none_or(|s| s.name.as_str() != suite_name) {
            suites.push(TestSuite::new(suite_name));
        }
        let status = match r.outcome {
            Outcome::Pass | Outcome::ExpectedFail => TestCaseStatus::success(),
            Outcome::Skip => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(r.detail.clone());
                s
            }
            Outcome::Fail | Outcome::UnexpectedPass => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(format!("{}: {}", r.outcome.name(), r.detail));
                s
            }
        };
        let mut case = TestCase::new(format!("{}::{}", r.case.replace('/', "::"), r.abi), status);
        case.set_time(std::time::Duration::from_micros(r.duration_us as u64));
        if let Some(last) = suites.last_mut() {
            last.add_test_case(case);
        }
    }
    report.add_test_suites(suites);
    report.to_string().context("writing JUnit XML")
}
