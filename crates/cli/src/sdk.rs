//! The SDK matrix from the command line: `pwconf run --suite sdk` runs every SDK-built
//! module against its filter's scenarios; `pwconf report` writes `sdk.md` / `sdk.json`
//! with what changed since the previous report.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use pwconf_reports::sdk::{SdkReport, SdkSource};
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

/// Loads the matrix.
pub fn load(root: &Path) -> Result<SdkMatrix> {
    SdkMatrix::load(root, &SdkMatrix::guests_dir(root)).map_err(|errors| {
        for e in &errors {
            eprintln!("{e}");
        }
        BadSuite(errors.len()).into()
    })
}

/// The selected trials as (name, module index, scenario index, backend).
pub fn plan<'a>(args: &Args, matrix: &SdkMatrix) -> Result<Vec<(String, usize, usize, &'a str)>> {
    if args.abi.is_some() {
        anyhow::bail!(
            "--abi selects conformance cases; the SDK matrix runs each module under the ABI it declares"
        );
    }
    let backends: Vec<&str> = pwconf_engines::select(&args.backend)?
        .iter()
        .map(|r| r.name)
        .collect();
    let trials: Vec<(String, usize, usize, &str)> = matrix
        .trials(&backends)
        .into_iter()
        .map(|(m, s, b)| {
            let module = &matrix.modules[m];
            (sdk::trial_name(b, &module.id(), &module.scenarios[s].0), m, s, b)
        })
        .collect();
    let total = trials.len();
    let trials = args.selection.apply(trials, |t| t.0.as_str());
    if !args.list {
        run::require_some(trials.len(), total, args)?;
    }
    Ok(trials)
}

/// Loads the matrix and runs the selected trials.
pub fn execute(args: &Args, root: &Path) -> Result<Vec<SdkResult>> {
    let matrix = load(root)?;
    let trials = plan(args, &matrix)?;
    run_planned(args, &matrix, &trials)
}

/// Runs planned trials in parallel.
pub fn run_planned(
    args: &Args,
    matrix: &SdkMatrix,
    trials: &[(String, usize, usize, &str)],
) -> Result<Vec<SdkResult>> {
    run::parallel(
        trials,
        args,
        |(_, m, s, b)| sdk::run_sdk_trial(matrix, &matrix.modules[*m], *s, b),
        |(name, ..)| name.clone(),
    )
}

fn failures(results: &[SdkResult]) -> usize {
    results.iter().filter(|r| r.outcome.is_failure()).count()
}

/// `pwconf run --suite sdk`.
pub fn run(args: &Args, root: &Path) -> Result<()> {
    if args.list {
        let matrix = load(root)?;
        let names = plan(args, &matrix)?
            .into_iter()
            .map(|(name, m, s, b)| {
                let module = &matrix.modules[m];
                json!({"name": name, "backend": b, "module": module.id(), "sdk": module.sdk,
                       "filter": module.filter, "version": module.version, "target": module.target,
                       "scenario": module.scenarios[s].0})
            })
            .collect();
        return run::print_list(names, args.format);
    }
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
        RunFormat::Junit => crate::emit(&crate::junit::sdk_trials(&results)?)?,
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

/// Where the modules of each SDK version came from and what built them: the release
/// from its registry, or the local checkout with its commit; the toolchain as
/// `scripts/build-guests` recorded it in `toolchains.tsv` beside the modules.
pub fn sources(matrix: &SdkMatrix) -> Vec<SdkSource> {
    let recorded = std::fs::read_to_string(matrix.guests.join("toolchains.tsv")).unwrap_or_default();
    let toolchain_of = |sdk: &str| -> Option<String> {
        recorded
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .find(|(s, _)| *s == sdk)
            .map(|(_, t)| t.trim().to_string())
    };
    matrix
        .versions
        .iter()
        .map(|v| {
            let local = v.version == sdk::LOCAL_VERSION;
            let source = if local {
                // For a local checkout the last column of local.tsv is its folder.
                let path = Path::new(&v.toolchain);
                let commit = crate::report::git(Some(path), &["rev-parse", "--short=12", "HEAD"]);
                let dirty =
                    crate::report::git(Some(path), &["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
                match commit {
                    Some(c) => format!(
                        "checkout {} at commit {c}{}",
                        v.toolchain,
                        if dirty { " (with uncommitted changes)" } else { "" }
                    ),
                    None => format!("checkout {} (not a git repository)", v.toolchain),
                }
            } else {
                match v.sdk.as_str() {
                    "rust" => format!("release {} of proxy-wasm from crates.io", v.version),
                    "assemblyscript" => format!("release {} of @solo-io/proxy-runtime from npm", v.version),
                    "c" => "no SDK: C against the bare ABI".to_string(),
                    _ => format!("release {}", v.version),
                }
            };
            let mut toolchain: Vec<String> = toolchain_of(&v.sdk).into_iter().collect();
            if !local && v.toolchain != "-" && !toolchain.iter().any(|t| t.contains(&v.toolchain)) {
                toolchain.push(v.toolchain.clone());
            }
            SdkSource {
                sdk: v.sdk.clone(),
                version: v.version.clone(),
                source,
                toolchain: if toolchain.is_empty() {
                    "not recorded (run scripts/build-guests)".to_string()
                } else {
                    toolchain.join("; ")
                },
            }
        })
        .collect()
}

/// Reads an earlier `sdk.json`.
fn read_report(path: &Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("--baseline {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("--baseline {}: not an sdk.json", path.display()))
}

/// Writes `sdk.md` and `sdk.json` into `out`.
fn write_report(report: &SdkReport, out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let json = serde_json::to_string_pretty(&report.json()).context("serializing sdk.json")? + "\n";
    for (name, text) in [("sdk.md", report.markdown()), ("sdk.json", json)] {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Runs the SDK matrix and writes `sdk.md` and `sdk.json` into `out`, comparing with
/// `baseline` (default: the `sdk.json` the run replaces). Returns the number of failed
/// trials.
pub fn report(
    args: &Args,
    root: &Path,
    out: &Path,
    baseline: Option<&Path>,
    generated: &str,
) -> Result<usize> {
    let json_path = out.join("sdk.json");
    if let Some(b) = baseline
        && json_path.exists()
        && std::fs::canonicalize(b).ok() == std::fs::canonicalize(&json_path).ok()
    {
        anyhow::bail!(
            "--baseline {} is the report this run writes (--out {}): copy it elsewhere first, or choose another --out",
            b.display(),
            out.display()
        );
    }
    let (previous, baseline_name) = match baseline {
        Some(b) => (Some(read_report(b)?), Some(b.display().to_string())),
        None if json_path.is_file() => (
            Some(read_report(&json_path)?),
            Some(json_path.display().to_string()),
        ),
        None => (None, None),
    };
    let matrix = load(root)?;
    let trials = plan(args, &matrix)?;
    let results = run_planned(args, &matrix, &trials)?;
    let sources = sources(&matrix);
    let (commit, engines) = (crate::report::commit(), crate::report::engines());
    let report = SdkReport {
        results: &results,
        previous: previous.as_ref(),
        baseline: baseline_name.as_deref(),
        sources: &sources,
        generated,
        commit: &commit,
        engines: &engines,
    };
    write_report(&report, out)?;
    let failed = failures(&results);
    let changed = match &baseline_name {
        Some(name) => format!("{} changed since {name}", report.changes().len()),
        None => "no baseline report".to_string(),
    };
    crate::emit(&format!(
        "wrote {}/sdk.md, sdk.json ({} trials, {failed} failed, {changed})\n",
        out.display(),
        results.len(),
    ))?;
    Ok(failed)
}
