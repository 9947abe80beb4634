//! `pwconf sdk test --sdk-path DIR`: what an SDK maintainer runs before a release. It builds
//! every filter of the matrix against the checkout (`scripts/build-guests --sdk-path`), runs
//! them on every backend, and compares each trial with the SDK's last release in the
//! baseline report, so a regression shows as `pass → fail` on the trial that broke.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use pwconf_reports::sdk::SdkReport;
use pwconf_reports::sdk_compare;
use pwconf_suite::sdk::{LOCAL_VERSION, SdkMatrix};
use pwconf_suite::select::Selection;

use crate::run::{self, RunFailed, RunFormat};

pub struct Args {
    pub sdk_path: PathBuf,
    pub sdk: Option<String>,
    pub baseline: Option<PathBuf>,
    pub suite: Option<PathBuf>,
    pub out: PathBuf,
    pub backend: String,
    pub jobs: Option<usize>,
}

/// Which SDK a checkout is, from its manifest.
fn guess_sdk(dir: &Path) -> Option<&'static str> {
    if dir.join("Cargo.toml").is_file() {
        Some("rust")
    } else if dir.join("package.json").is_file() {
        Some("assemblyscript")
    } else {
        None
    }
}

/// The repository's folder: where `scripts/build-guests` and `reports/` are.
fn repo_root() -> PathBuf {
    let root = SdkMatrix::repo_root().join("../..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

/// Builds the checkout's modules with `scripts/build-guests` (`PWCONF_BUILD_GUESTS` names
/// another script, as the tests do), its output going to stderr.
fn build(sdk: &str, dir: &Path) -> Result<()> {
    let script = std::env::var_os("PWCONF_BUILD_GUESTS")
        .map_or_else(|| repo_root().join("scripts/build-guests"), PathBuf::from);
    let spec = format!("{sdk}={}", dir.display());
    eprintln!(
        "pwconf: building with {} --only {sdk} --sdk-path {spec}",
        script.display()
    );
    let status = std::process::Command::new(&script)
        .args(["--only", sdk, "--sdk-path", &spec])
        .stdout(std::process::Stdio::inherit())
        .status()
        .with_context(|| format!("running {}", script.display()))?;
    if !status.success() {
        bail!(
            "{} --sdk-path {spec} failed ({status}); its output is above",
            script.display()
        );
    }
    Ok(())
}

pub fn run(args: &Args) -> Result<()> {
    if !args.sdk_path.is_dir() {
        bail!("--sdk-path {}: no such folder", args.sdk_path.display());
    }
    let sdk = match (&args.sdk, guess_sdk(&args.sdk_path)) {
        (Some(s), _) => s.clone(),
        (None, Some(s)) => s.to_string(),
        (None, None) => bail!(
            "--sdk-path {}: neither a Cargo.toml nor a package.json; say which SDK it is with --sdk",
            args.sdk_path.display()
        ),
    };
    let root = args.suite.clone().unwrap_or_else(SdkMatrix::repo_root);
    let baseline_path = args
        .baseline
        .clone()
        .unwrap_or_else(|| repo_root().join("reports/sdk.json"));
    let text = std::fs::read_to_string(&baseline_path).with_context(|| {
        format!(
            "the baseline report {} (run `pwconf report --suite sdk` on the releases first, or pass --baseline)",
            baseline_path.display()
        )
    })?;
    let baseline: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not an sdk.json", baseline_path.display()))?;
    build(&sdk, &args.sdk_path)?;

    let matrix = crate::sdk::load(&root)?;
    let Some(release) = matrix
        .versions
        .iter()
        .rev()
        .find(|v| v.sdk == sdk && v.version != LOCAL_VERSION)
        .map(|v| v.version.clone())
    else {
        bail!("{}: no release of SDK \"{sdk}\" in versions.tsv", root.display());
    };
    let run_args = run::Args {
        suite: Some(root.clone()),
        backend: args.backend.clone(),
        abi: None,
        selection: Selection {
            filters: vec![format!("::sdk::{sdk}/")],
            ..Selection::default()
        },
        list: false,
        jobs: args.jobs,
        format: RunFormat::Human,
    };
    let trials: Vec<_> = crate::sdk::plan(&run_args, &matrix)?
        .into_iter()
        .filter(|(_, m, _, _)| matrix.modules[*m].version == LOCAL_VERSION)
        .collect();
    if trials.is_empty() {
        bail!("no modules of the local checkout of \"{sdk}\" in the matrix after the build");
    }
    let local = crate::sdk::run_planned(&run_args, &matrix, &trials)?;
    let backends: Vec<&str> = local.iter().map(|r| r.backend.as_str()).collect();
    let mut results: Vec<_> = sdk_compare::results_of(&baseline)
        .into_iter()
        .filter(|r| r.sdk == sdk && r.version == release && backends.contains(&r.backend.as_str()))
        .collect();
    if results.is_empty() {
        bail!(
            "{} has no results of {sdk} {release}, the last release: regenerate it with `pwconf report --suite sdk`",
            baseline_path.display()
        );
    }
    results.extend(local.iter().cloned());

    let sources = crate::sdk::sources(&matrix);
    let (commit, engines) = (crate::report::commit(), crate::report::engines());
    let generated = crate::report::today();
    let baseline_name = baseline_path.display().to_string();
    let report = SdkReport {
        results: &results,
        previous: None,
        baseline: Some(&baseline_name),
        sources: &sources,
        generated: &generated,
        commit: &commit,
        engines: &engines,
    };
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let json = serde_json::to_string_pretty(&report.json()).context("serializing sdk.json")? + "\n";
    for (name, text) in [("sdk.md", report.markdown()), ("sdk.json", json)] {
        let path = args.out.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }

    let mut o = String::new();
    for c in sdk_compare::against_previous(&results)
        .into_iter()
        .filter(|c| c.version == LOCAL_VERSION)
    {
        o.push_str(&format!(
            "{sdk} checkout {} against release {} ({}): {} same, {} fixed, {} broken, {} new, {} gone\n",
            args.sdk_path.display(),
            c.against,
            baseline_path.display(),
            c.same,
            c.fixed,
            c.broken,
            c.new,
            c.gone
        ));
        for ch in &c.changes {
            o.push_str(&format!(
                "  {} on {}: {} -> {}{}\n",
                ch.trial,
                ch.backend,
                ch.before.map_or("(new)", |x| x.name()),
                ch.after.map_or("(gone)", |x| x.name()),
                if ch.detail.is_empty() {
                    String::new()
                } else {
                    format!(": {}", ch.detail)
                }
            ));
        }
    }
    let failed: Vec<_> = local.iter().filter(|r| r.outcome.is_failure()).collect();
    for r in &failed {
        o.push_str(&format!(
            "{} {}: {}\n",
            r.outcome.name().to_uppercase(),
            r.name(),
            r.detail
        ));
    }
    o.push_str(&format!(
        "{} trials of the checkout, {} failed; wrote {}/sdk.md, sdk.json\n\
         (the checkout stays recorded in {}: `pwconf run --suite sdk` includes it until \
         `scripts/build-guests --clear-local`)\n",
        local.len(),
        failed.len(),
        args.out.display(),
        matrix.guests.join("local.tsv").display()
    ));
    crate::emit(&o)?;
    if !failed.is_empty() {
        return Err(RunFailed(failed.len()).into());
    }
    Ok(())
}
