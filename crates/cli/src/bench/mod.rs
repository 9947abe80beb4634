//! `pwconf bench MODULE`: a user's module on every engine, side by side, and what changed
//! since an earlier run (`--baseline`).
//!
//! [`measure`] takes the numbers, [`stats`] summarises and compares them, [`render`] writes
//! them for people (terminal, Markdown, SVG); JSON is [`BenchReport`] itself, which is also
//! what `--baseline` reads back.

mod measure;
mod render;
mod stats;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use serde::{Deserialize, Serialize};

pub use measure::EngineResult;
pub use stats::Change;

/// The stream measured when no scenario is given: a typical API request and its answer.
const DEFAULT_SCENARIO: &str = r#"
description: One GET request with the headers a browser or curl sends, answered 200 with a small JSON body.
steps:
  - http:
      request:
        headers: {":method": GET, ":path": /api/v1/items?page=2, ":authority": example.com, ":scheme": https, user-agent: curl/8.5.0, accept: "*/*", x-request-id: 0f8fad5b-d9cb-469f-a165-70867728950e}
      response:
        headers: {":status": 200, content-type: application/json, content-length: 13}
        body: '{"items": []}'
"#;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BenchFormat {
    Human,
    Json,
    Markdown,
}

#[derive(clap::Args)]
pub struct Args {
    /// The module to measure (.wasm or .wat); it becomes the code of every plugin.
    pub module: PathBuf,
    /// An Envoy bootstrap or short-form configuration (default: the scenario's, else one
    /// HTTP filter running MODULE).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// A scenario whose HTTP streams the per-request samples cycle through (default: one
    /// GET answered 200).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// A backend name, or `all`.
    #[arg(long, default_value = "all")]
    pub backend: String,
    /// An earlier `pwconf bench --format json` (or its bench.json) to compare with.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Requests/s is measured with 1..N worker threads (default: the cores).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Seconds each measurement takes (per metric, per engine).
    #[arg(long, default_value = "1.0", value_name = "SECONDS")]
    pub time: f64,
    /// Also write bench.json, bench.md and bench.svg into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: BenchFormat,
}

/// Everything one run measured: what `--format json` prints and `--baseline` reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchReport {
    pub module: String,
    pub module_sha256: String,
    pub abi: String,
    pub scenario: String,
    /// The HTTP streams a request sample cycles through.
    pub streams: usize,
    /// The plugins of the chain measured.
    pub plugins: Vec<String>,
    /// Seconds per measurement.
    pub time_per_measurement: f64,
    /// The machine's load average when the run started and ended (other work skews
    /// every number).
    pub load_average: (String, String),
    pub cores: usize,
    pub engines: Vec<EngineResult>,
    /// Against `--baseline`: every metric both runs have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comparison {
    pub baseline: String,
    /// Whether the baseline measured the same module bytes.
    pub same_module: bool,
    pub changes: Vec<Change>,
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

fn require_file(flag: &str, path: &Path) -> Result<()> {
    if !path.is_file() {
        bail!(
            "{flag} {}: {}",
            path.display(),
            if path.exists() {
                "not a file"
            } else {
                "no such file"
            }
        );
    }
    Ok(())
}

pub fn run(args: &Args) -> Result<()> {
    require_file("module", &args.module)?;
    for (flag, path) in [
        ("--config", &args.config),
        ("--scenario", &args.scenario),
        ("--baseline", &args.baseline),
    ] {
        if let Some(path) = path {
            require_file(flag, path)?;
        }
    }
    if !(args.time.is_finite() && args.time > 0.0) {
        bail!("--time {}: must be a positive number of seconds", args.time);
    }
    // Read first, so a bad baseline fails before minutes of measuring.
    let baseline = args.baseline.as_deref().map(read_report).transpose()?;
    let (scenario, scenario_path, scenario_name) = match &args.scenario {
        Some(path) => (
            pwconf_scenario::load(path)?,
            path.clone(),
            path.display().to_string(),
        ),
        None => (
            pwconf_scenario::parse(DEFAULT_SCENARIO, "<default scenario>")?,
            PathBuf::from("bench.yaml"),
            "one GET answered 200 (built in)".to_string(),
        ),
    };
    let streams = measure::streams(&scenario);
    if streams.is_empty() {
        bail!("{scenario_name}: no HTTP step; pwconf bench measures HTTP streams");
    }
    let source = pwconf_scenario::ConfigSource {
        config: args.config.clone(),
        module: Some(args.module.clone()),
        options: pwconf_engines::load_options(),
    };
    let config = scenario.resolve_config(&scenario_path, &source)?;
    let chain = measure::Chain::of(&config)?;
    let registrations = pwconf_engines::select(&args.backend)?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let budget = measure::Budget {
        per_measurement: Duration::from_secs_f64(args.time),
        max_workers: args.workers.unwrap_or(cores).max(1),
    };
    let load_before = load_average();
    let mut engines = Vec::new();
    for reg in registrations {
        if args.format == BenchFormat::Human {
            eprintln!("pwconf bench: measuring on {} ...", reg.name);
        }
        engines.push(measure::engine(reg, &chain, &config, &streams, budget));
    }
    let mut report = BenchReport {
        module: args.module.display().to_string(),
        module_sha256: pwconf_config::sha256_hex(&chain.code),
        abi: chain.abi.to_string(),
        scenario: scenario_name,
        streams: streams.len(),
        plugins: chain.plugins.clone(),
        time_per_measurement: args.time,
        load_average: (load_before, load_average()),
        cores,
        engines,
        comparison: None,
    };
    if let (Some(base), Some(path)) = (&baseline, &args.baseline) {
        report.comparison = Some(compare(base, &report, path));
    }
    if let Some(out) = &args.out {
        write_files(&report, out)?;
    }
    match args.format {
        BenchFormat::Json => crate::print_json(&report)?,
        BenchFormat::Markdown => crate::emit(&render::markdown(&report))?,
        BenchFormat::Human => crate::emit(&render::human(&report))?,
    }
    Ok(())
}

fn read_report(path: &Path) -> Result<BenchReport> {
    let text = std::fs::read_to_string(path).with_context(|| format!("--baseline {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "--baseline {}: not the JSON of pwconf bench --format json",
            path.display()
        )
    })
}

/// Every metric of every engine both runs measured, compared.
pub fn compare(baseline: &BenchReport, current: &BenchReport, path: &Path) -> Comparison {
    let mut changes = Vec::new();
    for engine in &current.engines {
        let Some(base) = baseline.engines.iter().find(|e| e.engine == engine.engine) else {
            continue;
        };
        for metric in &engine.metrics {
            if let Some(before) = base.metric(&metric.name) {
                changes.push(stats::compare(&engine.engine, before, metric));
            }
        }
    }
    Comparison {
        baseline: path.display().to_string(),
        same_module: baseline.module_sha256 == current.module_sha256,
        changes,
    }
}

fn write_files(report: &BenchReport, out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("--out {}", out.display()))?;
    let mut json = serde_json::to_string_pretty(report).context("serializing JSON")?;
    json.push('\n');
    for (name, text) in [
        ("bench.json", json),
        ("bench.md", render::markdown(report)),
        ("bench.svg", render::svg(report)),
    ] {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
