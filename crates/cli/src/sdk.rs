//! The SDK matrix from the command line: `pwconf run --suite sdk` runs every SDK-built
//! module against its filter's scenarios; `pwconf report` writes `sdk.md` / `sdk.json`
//! with what changed since the previous report.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use pwconf_reports::sdk::SdkReport;
use pwconf_suite::Outcome;
use pwconf_suite::sdk::{self, SdkMatrix, SdkResult};
use serde_json::json;

use crate::run::{self, Args, BadSuite, RunFailed, RunFormat};

/// The SDK folder that `--suite` names: `sdk` (./conformance/sdk, else the repository's),
/// or a folder with a `versions.tsv`. `None` for a conformance suite.
pub fn suite_root(suite: Option<&Path>) -> Option<PathBuf> {
    let suite = suite?;
    if suite == Path::new("sdk") {
        let local = PathBuf::from("conformance/sdk");
        return Some(if SdkMatrix::is_sdk_dir(&local) {
            local
        } else {
            SdkMatrix::repo_root()
        });
    }
    SdkMatrix::is_sdk_dir(suite).then(|| suite.to_path_buf())
}

/// Loads the matrix and runs the selected trials (backend, `--filter` on the trial name,
/// `--shard`).
pub fn execute(args: &Args, root: &Path) -> Result<Vec<SdkResult>> {
    let matrix = match SdkMatrix::load(root, &SdkMatrix::guests_dir(root)) {
        Ok(m) => m,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            return Err(BadSuite(errors.len()).into());
        }
    };
    if args.abi.is_some() {
        anyhow::bail!(
            "--abi selects conformance cases; the SDK matrix runs each module under the ABI it declares"
        );
    }
    let backends: Vec<&str> = pwconf_engines::select(&args.backend)?
        .iter()
        .map(|r| r.name)
        .collect();
    let mut trials: Vec<(String, usize, usize, &str)> = matrix
        .trials(&backends)
        .into_iter()
        .map(|(m, s, b)| {
            let module = &matrix.modules[m];
            (sdk::trial_name(b, &module.id(), &module.scenarios[s].0), m, s, b)
        })
        .filter(|(name, ..)| args.filter.as_ref().is_none_or(|f| name.contains(f.as_str())))
        .collect();
    if let Some(shard) = args.shard.as_deref() {
        let (i, n) = run::parse_shard(shard)?;
        trials = trials
            .into_iter()
            .enumerate()
            .filter(|(k, _)| k % n == i - 1)
            .map(|(_, t)| t)
            .collect();
    }
    run::parallel(
        &trials,
        args,
        |(_, m, s, b)| sdk::run_sdk_trial(&matrix, &matrix.modules[*m], *s, b),
        |(name, ..)| name.clone(),
    )
}

fn failures(results: &[SdkResult]) -> usize {
    results.iter().filter(|r| r.outcome.is_failure()).count()
}

/// `pwconf run --suite sdk`.
pub fn run(args: &Args, root: &Path) -> Result<()> {
    let results = execute(args, root)?;
    let count = |o: Outcome| results.iter().filter(|r| r.outcome == o).count();
    match args.format {
        RunFormat::Json => crate::print_json(&json!({
            "results": results,
            "summary": {
                "total": results.len(),
                "passed": count(Outcome::Pass),
                "failed": count(Outcome::Fail),
                "expected_fail": count(Outcome::ExpectedFail),
                "unexpected_pass": count(Outcome::UnexpectedPass),
            },
        }))?,
        RunFormat::Junit => crate::emit(&junit(&results)?)?,
        RunFormat::Human => {
            let mut o = String::new();
            for r in results.iter().filter(|r| r.outcome.is_failure()) {
                o.push_str(&format!(
                    "{} {}: {}\n",
                    r.outcome.name().to_uppercase(),
                    r.name(),
                    r.detail
                ));
            }
            o.push_str(&format!(
                "{} passed, {} failed, {} expected-fail\n",
                count(Outcome::Pass),
                failures(&results),
                count(Outcome::ExpectedFail)
            ));
            crate::emit(&o)?;
        }
    }
    match failures(&results) {
        0 => Ok(()),
        n => Err(RunFailed(n).into()),
    }
}

fn junit(results: &[SdkResult]) -> Result<String> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new("pwconf-sdk");
    let mut suites: Vec<TestSuite> = Vec::new();
    for r in results {
        let suite_name = format!("{}::sdk::{}", r.backend, r.module());
        if suites.last().is_none_or(|s| s.name.as_str() != suite_name) {
            suites.push(TestSuite::new(suite_name));
        }
        let status = if r.outcome.is_failure() {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(format!("{}: {}", r.outcome.name(), r.detail));
            s
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(r.scenario.clone(), status);
        case.set_time(std::time::Duration::from_micros(r.duration_us as u64));
        if let Some(last) = suites.last_mut() {
            last.add_test_case(case);
        }
    }
    report.add_test_suites(suites);
    report.to_string().context("writing JUnit XML")
}

/// Runs the SDK matrix and writes `sdk.md` and `sdk.json` into `out`, comparing with the
/// `sdk.json` already there. Returns the number of failed trials.
pub fn report(args: &Args, root: &Path, out: &Path, generated: &str) -> Result<usize> {
    let results = execute(args, root)?;
    let json_path = out.join("sdk.json");
    let previous = match std::fs::read_to_string(&json_path) {
        Ok(text) => Some(
            serde_json::from_str::<serde_json::Value>(&text)
                .with_context(|| format!("reading the previous report {}", json_path.display()))?,
        ),
        Err(_) => None,
    };
    let report = SdkReport {
        results: &results,
        previous: previous.as_ref(),
        generated,
    };
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let json = serde_json::to_string_pretty(&report.json()).context("serializing sdk.json")? + "\n";
    for (name, text) in [("sdk.md", report.markdown()), ("sdk.json", json)] {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let failed = failures(&results);
    let changed = match previous {
        Some(_) => format!("{} changed since the previous report", report.changes().len()),
        None => "no previous report".to_string(),
    };
    crate::emit(&format!(
        "wrote {}/sdk.md, sdk.json ({} trials, {failed} failed, {changed})\n",
        out.display(),
        results.len(),
    ))?;
    Ok(failed)
}
