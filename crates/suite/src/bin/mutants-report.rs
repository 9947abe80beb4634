//! Writes `reports/mutants.md` and `.json` from cargo-mutants output folders; used by
//! `scripts/mutants`. Exits 1 when a mutant is missed without an equivalence entry or an
//! entry is stale, 2 on bad input.
//!
//! mutants-report --out DIR --equivalents FILE [--scope TEXT]... [--full] [--check-stale]
//!                [--header TEXT] MUTANTS_OUT...

use std::path::PathBuf;
use std::process::ExitCode;

use pwconf_suite::mutants::{Outcomes, Report, load_equivalents};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mutants-report: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut out = None;
    let mut equivalents = None;
    let mut scope = Vec::new();
    let mut full = false;
    let mut check_stale = false;
    let mut header = String::new();
    let mut runs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} wants a value"));
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--equivalents" => equivalents = Some(PathBuf::from(value("--equivalents")?)),
            "--scope" => scope.push(value("--scope")?),
            "--header" => header = value("--header")?,
            "--full" => full = true,
            "--check-stale" => check_stale = true,
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            dir => runs.push(PathBuf::from(dir)),
        }
    }
    let out = out.ok_or("--out is required")?;
    let equivalents = load_equivalents(&equivalents.ok_or("--equivalents is required")?)?;
    if runs.is_empty() {
        return Err("no cargo-mutants output folder given".into());
    }
    let mut outcomes = Outcomes::default();
    for dir in &runs {
        outcomes.add_run(dir)?;
    }
    let covered = |file: &str| {
        check_stale
            && (if full {
                file.starts_with("crates/host/")
            } else {
                scope.iter().any(|s| s == file)
            })
    };
    let report = Report::new(&outcomes, &equivalents, scope.clone(), full, covered);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let md = out.join("mutants.md");
    std::fs::write(&md, report.markdown(&header)).map_err(|e| format!("{}: {e}", md.display()))?;
    let json = out.join("mutants.json");
    let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    std::fs::write(&json, text + "\n").map_err(|e| format!("{}: {e}", json.display()))?;
    let t = &report.total;
    println!(
        "mutants: {} ({} caught, {} missed, {} equivalent, {} timeouts, {} unviable), kill rate {}",
        t.mutants,
        t.caught,
        t.missed,
        t.equivalent,
        t.timeouts,
        t.unviable,
        t.kill_rate.map_or("-".into(), |r| format!("{r:.1}%"))
    );
    let problems = report.problems();
    for p in &problems {
        println!("{p}");
    }
    println!("wrote {} and {}", md.display(), json.display());
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
