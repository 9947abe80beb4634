//! `pwconf coverage` and `pwconf report`: what the suite covers, and the compatibility
//! report files.

use std::path::Path;

use anyhow::{Context, Result};
use pwconf_reports::Compat;

use crate::run;

/// Runs the whole suite and prints which hostcalls, callbacks and rules have a case
/// passing on every backend.
pub fn coverage(args: &run::Args, json: bool) -> Result<()> {
    let (suite, results) = run::execute(args)?;
    let coverage = pwconf_suite::coverage(&suite, &results);
    if json {
        return crate::print_json(&coverage);
    }
    let mut o = String::from(
        "observed coverage: what cases passing on every backend made (hostcalls, callbacks) or dealt with (rules)\n",
    );
    for v in &coverage.versions {
        o.push_str(&format!(
            "{}: hostcalls {}/{} ({:.0}%), callbacks {}/{} ({:.0}%)\n",
            v.version,
            v.hostcalls.covered.len(),
            v.hostcalls.covered.len() + v.hostcalls.missing.len(),
            v.hostcalls.percent(),
            v.callbacks.covered.len(),
            v.callbacks.covered.len() + v.callbacks.missing.len(),
            v.callbacks.percent()
        ));
        if !v.hostcalls.missing.is_empty() {
            o.push_str(&format!(
                "  missing hostcalls: {}\n",
                v.hostcalls.missing.join(" ")
            ));
        }
        if !v.callbacks.missing.is_empty() {
            o.push_str(&format!(
                "  missing callbacks: {}\n",
                v.callbacks.missing.join(" ")
            ));
        }
        // Informational: some documented statuses cannot be provoked from a guest
        // (INTERNAL_FAILURE of a healthy host, say).
        o.push_str(&format!(
            "  documented statuses seen: {}/{} ({:.0}%); not seen: {}\n",
            v.statuses.covered.len(),
            v.statuses.covered.len() + v.statuses.missing.len(),
            v.statuses.percent(),
            if v.statuses.missing.is_empty() {
                "none".to_string()
            } else {
                v.statuses.missing.join(" ")
            }
        ));
    }
    let r = &coverage.rules;
    o.push_str(&format!(
        "rules: {}/{} ({:.0}%), {} untestable\n",
        r.covered.len(),
        r.covered.len() + r.missing.len(),
        r.percent(),
        coverage.untestable.len()
    ));
    if !r.missing.is_empty() {
        o.push_str(&format!("  missing rules: {}\n", r.missing.join(" ")));
    }
    crate::emit(&o)
}

/// Runs the suite and writes `compat.md`, `compat.json` and `compat.html` into `out`.
/// With `--suite sdk` only the SDK report; without `--suite`, the SDK report too.
pub fn report(args: &run::Args, out: &Path, baseline: Option<&Path>) -> Result<()> {
    let generated = today();
    if let Some(root) = crate::sdk::suite_root(args.suite.as_deref()) {
        return match crate::sdk::report(args, &root, out, baseline, &generated)? {
            0 => Ok(()),
            failed => Err(run::RunFailed(failed).into()),
        };
    }
    let (suite, results) = run::execute(args)?;
    let coverage = pwconf_suite::coverage(&suite, &results);
    let commit = commit();
    let engines = engines();
    let compat = Compat {
        suite: &suite,
        results: &results,
        coverage: &coverage,
        generated: &generated,
        commit: &commit,
        engines: &engines,
    };
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let json = serde_json::to_string_pretty(&compat.json()).context("serializing compat.json")? + "\n";
    for (name, text) in [
        ("compat.md", compat.markdown()),
        ("compat.json", json),
        ("compat.html", compat.html()),
    ] {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let mut failed = results.iter().filter(|r| r.outcome.is_failure()).count();
    crate::emit(&format!(
        "wrote {}/compat.md, compat.json, compat.html ({} trials, {failed} failed)\n",
        out.display(),
        results.len()
    ))?;
    // The repository's SDK matrix goes with the repository's suite, not with another one.
    if args.suite.is_none()
        && let Some(root) = crate::sdk::suite_root(Some(Path::new("sdk")))
    {
        failed += crate::sdk::report(args, &root, out, baseline, &generated)?;
    }
    if failed > 0 {
        return Err(run::RunFailed(failed).into());
    }
    Ok(())
}

/// Writes `perf.md`, `perf.json` and the `perf-*.svg` charts into `out` from criterion's
/// results and the benches' side measurements.
pub fn perf(criterion: &Path, measurements: &Path, out: &Path, notes: &Path) -> Result<()> {
    use pwconf_reports::perf::{Machine, Perf, read_criterion};
    let estimates = read_criterion(criterion)?;
    let side = |name: &str| -> Result<Option<serde_json::Value>> {
        let path = measurements.join(name);
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let value = serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
        Ok(Some(value))
    };
    let memory = side("memory.json")?;
    let suite = side("suite.json")?;
    let notes = match std::fs::read_to_string(notes) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(anyhow::anyhow!("{}: {e}", notes.display())),
    };
    // The committed run this one replaces, read before it is overwritten.
    let previous: Option<serde_json::Value> = std::fs::read_to_string(out.join("perf.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    let engines = engines();
    let machine = Machine::current();
    let generated = today();
    let perf = Perf {
        estimates: &estimates,
        engines: &engines,
        machine: &machine,
        memory: memory.as_ref(),
        suite: suite.as_ref(),
        notes: notes.as_deref(),
        generated: &generated,
        previous: previous.as_ref(),
    };
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let json = serde_json::to_string_pretty(&perf.json()).context("serializing perf.json")? + "\n";
    let mut files = vec![
        ("perf.md".to_string(), perf.markdown()),
        ("perf.json".to_string(), json),
    ];
    files.extend(perf.charts());
    for (name, text) in &files {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let ratios = perf.ratios();
    let missed = ratios.iter().filter(|r| r.met() == Some(false)).count();
    let absent = ratios.iter().filter(|r| r.met().is_none()).count();
    crate::emit(&format!(
        "wrote {}/perf.md, perf.json and {} charts ({} benches; {} target ratios: {missed} missed, {absent} not measured)\n",
        out.display(),
        files.len() - 2,
        estimates.len(),
        ratios.len()
    ))
}

/// (backend, engine version) of every backend of this build.
pub(crate) fn engines() -> Vec<(String, String)> {
    pwconf_engines::REGISTRATIONS
        .iter()
        .map(|r| (r.name.to_string(), r.engine_version.to_string()))
        .collect()
}

/// The commit the run was built from: its short hash, `+dirty` with uncommitted
/// changes, or `unknown` outside a git checkout.
pub(crate) fn commit() -> String {
    git(None, &["rev-parse", "--short=12", "HEAD"]).map_or("unknown".to_string(), |hash| {
        match git(None, &["status", "--porcelain", "--untracked-files=no"]) {
            Some(changes) if !changes.is_empty() => format!("{hash}+dirty"),
            _ => hash,
        }
    })
}

/// A git command's trimmed output, in `dir` (default: the current folder); `None` when git
/// is missing or fails.
pub(crate) fn git(dir: Option<&Path>, args: &[&str]) -> Option<String> {
    let mut command = std::process::Command::new("git");
    if let Some(dir) = dir {
        command.arg("-C").arg(dir);
    }
    let out = command.args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Today's UTC date as YYYY-MM-DD (civil-from-days, no time zone database needed).
pub(crate) fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
