//! `pwconf`: certify Proxy-Wasm hosts and compare Wasm engines.
//!
//! One job: the command line. Neighbours: every library crate is below it; errors become
//! exit codes and one line on stderr here (anyhow at this edge only).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use pwconf_abi::inspect::{self, ModuleReport};
use pwconf_abi::spec::{Callback, Counts, Hostcall, Param};
use pwconf_abi::{AbiVersion, Spec};
use pwconf_backend::EngineConfig;
use serde::Serialize;

mod certify;
mod check;
mod report;
mod run;
mod sdk;

#[derive(Parser)]
#[command(
    name = "pwconf",
    version,
    about = "Certify Proxy-Wasm hosts on wasmtime, wasmer and wasmi"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// List the Wasm engines of this build.
    Backends {
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Show the ABI from spec/: hostcalls, callbacks, enums and lifecycle rules.
    Abi {
        /// Only this ABI version (0.1.0, 0.2.0 or 0.2.1).
        #[arg(long)]
        version: Option<AbiVersion>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Run a scenario on the reference host and check what it observes.
    Check {
        /// The plugin module; it replaces the code of every plugin of the configuration.
        module: Option<PathBuf>,
        /// An Envoy bootstrap or short-form configuration (default: the scenario's own).
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long)]
        scenario: PathBuf,
        /// A backend name, or `all`.
        #[arg(long, default_value = "all")]
        backend: String,
        /// Worker threads (default: the scenario's, the configuration's, or the cores).
        #[arg(long)]
        workers: Option<usize>,
        /// Run on the real clock: `advance_time` waits for real, ticks fire as the time
        /// passes, guests read the system time (default: a virtual clock).
        #[arg(long)]
        real_time: bool,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Run the conformance suite: every case on every chosen backend and ABI version.
    Run {
        /// The suite folder (default: ./conformance, else the repository's); `sdk` (or a
        /// folder with a versions.tsv) runs the SDK matrix instead.
        #[arg(long)]
        suite: Option<PathBuf>,
        /// A backend name, or `all`.
        #[arg(long, default_value = "all")]
        backend: String,
        /// Only this ABI version.
        #[arg(long)]
        abi: Option<AbiVersion>,
        /// Only trials whose name (`<backend>::<area>::<case>::<abi>`) contains this.
        #[arg(long)]
        filter: Option<String>,
        /// Run shard I of N (1-based), as CI matrices split the suite.
        #[arg(long)]
        shard: Option<String>,
        /// Trials run in parallel (default: the number of cores).
        #[arg(long)]
        jobs: Option<usize>,
        #[arg(long, value_enum, default_value = "human")]
        format: run::RunFormat,
    },
    /// Which hostcalls, callbacks and rules have a case passing on every backend.
    Coverage {
        #[arg(long)]
        suite: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Run the suite and write reports/compat.md, compat.json and compat.html, and the
    /// SDK matrix's reports/sdk.md and sdk.json (only those with `--suite sdk`); or, with
    /// `perf`, the performance report of the last `cargo bench` run.
    Report {
        #[command(subcommand)]
        kind: Option<ReportKind>,
        #[arg(long)]
        suite: Option<PathBuf>,
        #[arg(long, default_value = "reports")]
        out: PathBuf,
    },
    /// Certify a host through the host-under-test protocol: reports/hosts/<host>.md, .json.
    Certify(certify::Args),
    /// Print the JSON Schema of the scenario format.
    ScenarioSchema,
    /// Inspect a guest module (.wasm or .wat) against the ABI.
    Inspect {
        module: PathBuf,
        /// Also compile the module on this backend (or `all`) and report the result.
        #[arg(long)]
        backend: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum ReportKind {
    /// Write reports/perf.md, perf.json and perf-*.svg from criterion's estimates of the
    /// last `cargo bench` run (scripts/bench runs both).
    Perf {
        /// Where criterion wrote its results.
        #[arg(long, default_value = "target/criterion")]
        criterion: PathBuf,
        /// Where the benches wrote memory.json and scripts/bench wrote suite.json.
        #[arg(long, default_value = "target/pwconf-bench")]
        measurements: PathBuf,
        #[arg(long, default_value = "reports")]
        out: PathBuf,
        /// Notes on missed targets, appended to the report when the file exists.
        #[arg(long, default_value = "reports/perf-notes.md")]
        notes: PathBuf,
    },
}

fn main() -> ExitCode {
    // A defect must still end in one line, never a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("pwconf: internal error: {}", one_line(&info.to_string()));
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version print as usual; a usage error is one line and exit 2.
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            eprintln!("pwconf: {}", first.trim_start_matches("error: ").trim());
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Backends { format } => backends(format),
        Command::Abi { version, format } => abi(version, format),
        Command::Inspect {
            module,
            backend,
            format,
        } => inspect_module(&module, backend.as_deref(), format),
        Command::Check {
            module,
            config,
            scenario,
            backend,
            workers,
            real_time,
            format,
        } => check::run(&check::Args {
            module,
            config,
            scenario,
            backend,
            workers,
            real_time,
            json: format == Format::Json,
        }),
        Command::Certify(args) => certify::run(&args),
        Command::ScenarioSchema => print_json(&pwconf_scenario::schema()),
        Command::Coverage { suite, format } => {
            report::coverage(&run::Args::all(suite), format == Format::Json)
        }
        Command::Report {
            kind:
                Some(ReportKind::Perf {
                    criterion,
                    measurements,
                    out,
                    notes,
                }),
            ..
        } => report::perf(&criterion, &measurements, &out, &notes),
        Command::Report {
            kind: None,
            suite,
            out,
        } => report::report(&run::Args::all(suite), &out),
        Command::Run {
            suite,
            backend,
            abi,
            filter,
            shard,
            jobs,
            format,
        } => run::run(&run::Args {
            suite,
            backend,
            abi,
            filter,
            shard,
            jobs,
            format,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.downcast_ref::<check::NotMet>().is_some() => ExitCode::from(1),
        Err(err) if err.downcast_ref::<run::RunFailed>().is_some() => ExitCode::from(1),
        Err(err) if err.downcast_ref::<certify::CertifyFailed>().is_some() => ExitCode::from(1),
        Err(err) => {
            eprintln!("pwconf: error: {}", one_line(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes to stdout; a reader that went away (`pwconf abi | head`) is not an error.
pub(crate) fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("writing to stdout"),
        _ => Ok(()),
    }
}

pub(crate) fn print_json(value: &impl Serialize) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).context("serializing JSON")?;
    text.push('\n');
    emit(&text)
}

/// `println!` into a buffer, so that all human output goes through [`emit`].
macro_rules! out {
    ($buf:expr) => { $buf.push('\n') };
    ($buf:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($buf, $($arg)*);
    }};
}

#[derive(Serialize)]
struct BackendRow {
    name: &'static str,
    kind: &'static str,
    engine_version: &'static str,
}

fn backends(format: Format) -> Result<()> {
    let rows: Vec<BackendRow> = pwconf_engines::REGISTRATIONS
        .iter()
        .map(|r| BackendRow {
            name: r.name,
            kind: r.kind.name(),
            engine_version: r.engine_version,
        })
        .collect();
    if format == Format::Json {
        return print_json(&serde_json::json!({ "backends": rows }));
    }
    let mut o = String::new();
    out!(o, "{:<10} {:<12} engine version", "backend", "kind");
    for r in rows {
        out!(o, "{:<10} {:<12} {}", r.name, r.kind, r.engine_version);
    }
    emit(&o)
}

#[derive(Serialize)]
struct VersionRow<'a> {
    version: AbiVersion,
    marker: &'a str,
    status: &'a str,
    released: &'a str,
    counts: Counts,
}

/// A hostcall or callback as seen from one version (or all of them).
#[derive(Serialize)]
struct FunctionRow<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    module: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    area: &'static str,
    versions: &'a [AbiVersion],
    origin: &'static str,
    summary: &'a str,
    params: Vec<&'a Param>,
    results: &'a [Param],
    #[serde(skip_serializing_if = "Option::is_none")]
    statuses: Option<&'a [String]>,
}

fn params_for(params: &[Param], version: Option<AbiVersion>) -> Vec<&Param> {
    params
        .iter()
        .filter(|p| match (p.since, version) {
            (Some(since), Some(v)) => v >= since,
            _ => true,
        })
        .collect()
}

fn origin_name(origin: pwconf_abi::spec::Origin) -> &'static str {
    match origin {
        pwconf_abi::spec::Origin::Spec => "spec",
        pwconf_abi::spec::Origin::CppHost => "cpp-host",
        pwconf_abi::spec::Origin::Envoy => "envoy",
    }
}

fn hostcall_row(h: &Hostcall, version: Option<AbiVersion>) -> FunctionRow<'_> {
    FunctionRow {
        name: &h.name,
        module: Some(&h.module),
        kind: None,
        area: h.area.name(),
        versions: &h.versions,
        origin: origin_name(h.origin),
        summary: &h.summary,
        params: params_for(&h.params, version),
        results: &h.results,
        statuses: Some(&h.statuses),
    }
}

fn callback_row(c: &Callback, version: Option<AbiVersion>) -> FunctionRow<'_> {
    FunctionRow {
        name: &c.name,
        module: None,
        kind: Some(match c.kind {
            pwconf_abi::spec::CallbackKind::Event => "event",
            pwconf_abi::spec::CallbackKind::Allocator => "allocator",
            pwconf_abi::spec::CallbackKind::Startup => "startup",
        }),
        area: c.area.name(),
        versions: &c.versions,
        origin: origin_name(c.origin),
        summary: &c.summary,
        params: params_for(&c.params, version),
        results: &c.results,
        statuses: None,
    }
}

fn signature(params: &[&Param], results: &[Param]) -> String {
    let ps: Vec<String> = params.iter().map(|p| format!("{} {}", p.ty, p.name)).collect();
    let rs: Vec<String> = results.iter().map(|p| p.ty.to_string()).collect();
    format!("({}) -> ({})", ps.join(", "), rs.join(", "))
}

fn abi(version: Option<AbiVersion>, format: Format) -> Result<()> {
    let spec = Spec::embedded();
    let applies = |versions: &[AbiVersion]| version.is_none_or(|v| versions.contains(&v));
    let versions: Vec<VersionRow> = spec
        .versions
        .iter()
        .filter(|v| version.is_none_or(|want| want == v.version))
        .map(|v| VersionRow {
            version: v.version,
            marker: &v.marker,
            status: &v.status,
            released: &v.released,
            counts: spec.counts(v.version),
        })
        .collect();
    let hostcalls: Vec<FunctionRow> = spec
        .hostcalls
        .iter()
        .filter(|h| applies(&h.versions))
        .map(|h| hostcall_row(h, version))
        .collect();
    let callbacks: Vec<FunctionRow> = spec
        .callbacks
        .iter()
        .filter(|c| applies(&c.versions))
        .map(|c| callback_row(c, version))
        .collect();
    let enums: Vec<_> = spec
        .enums
        .iter()
        .filter(|e| match (e.since, version) {
            (Some(since), Some(v)) => v >= since,
            _ => true,
        })
        .collect();
    if format == Format::Json {
        return print_json(&serde_json::json!({
            "versions": versions,
            "hostcalls": hostcalls,
            "callbacks": callbacks,
            "enums": enums,
            "rule_groups": spec.rule_groups,
            "rules": spec.rules,
        }));
    }
    let mut o = String::new();
    out!(o, "ABI versions");
    for v in &versions {
        out!(
            o,
            "  {}  {}  {} env.proxy_* hostcalls, {} proxy_on_* callbacks, {} WASI functions",
            v.version,
            v.marker,
            v.counts.hostcalls,
            v.counts.callbacks,
            v.counts.wasi
        );
    }
    out!(o, "\nHostcalls ({})", hostcalls.len());
    for h in &hostcalls {
        let extra = if h.origin == "spec" {
            String::new()
        } else {
            format!(" [{}]", h.origin)
        };
        out!(
            o,
            "  {}.{}{}  [{}]{}",
            h.module.unwrap_or("env"),
            h.name,
            signature(&h.params, h.results),
            h.area,
            extra
        );
    }
    out!(o, "\nCallbacks ({})", callbacks.len());
    for c in &callbacks {
        let extra = if c.origin == "spec" {
            String::new()
        } else {
            format!(" [{}]", c.origin)
        };
        out!(
            o,
            "  {}{}  [{}]{}",
            c.name,
            signature(&c.params, c.results),
            c.area,
            extra
        );
    }
    out!(o, "\nEnums");
    for e in &enums {
        let values: Vec<String> = e
            .values
            .iter()
            .map(|v| format!("{}={}", v.name, v.value))
            .collect();
        out!(o, "  {} ({}): {}", e.name, e.c_name, values.join(", "));
    }
    out!(o, "\nLifecycle rules ({})", spec.rules.len());
    for r in &spec.rules {
        let tag = match r.tag {
            pwconf_abi::spec::RuleTag::SpecStated => "spec",
            pwconf_abi::spec::RuleTag::DeFacto => "de-facto",
            pwconf_abi::spec::RuleTag::Disputed => "disputed",
        };
        out!(o, "  {:<4} {:<9} {}", r.id, tag, r.statement);
    }
    emit(&o)
}

#[derive(Serialize)]
struct CompileRow {
    backend: &'static str,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    millis: f64,
}

#[derive(Serialize)]
struct InspectOutput<'a> {
    module: String,
    #[serde(flatten)]
    report: &'a ModuleReport,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    compile: Vec<CompileRow>,
}

fn inspect_module(path: &Path, backend: Option<&str>, format: Format) -> Result<()> {
    // Resolve the backend choice first: a typo fails before any work.
    let registrations = match backend {
        Some(choice) => pwconf_engines::select(choice)?,
        None => Vec::new(),
    };
    let bytes = inspect::load_module_file(path)?;
    let shown = path.display().to_string();
    let report = inspect::inspect(&shown, &bytes, Spec::embedded())?;
    let mut compile = Vec::new();
    for reg in registrations {
        let backend =
            (reg.create)(&EngineConfig::default()).with_context(|| format!("backend {}", reg.name))?;
        let start = Instant::now();
        let result = backend.compile(&bytes);
        let millis = start.elapsed().as_secs_f64() * 1e3;
        compile.push(CompileRow {
            backend: reg.name,
            ok: result.is_ok(),
            outcome: result.as_ref().err().map(|e| e.kind().name()),
            error: result.err().map(|e| e.to_string()),
            millis,
        });
    }
    if format == Format::Json {
        return print_json(&InspectOutput {
            module: shown,
            report: &report,
            compile,
        });
    }
    emit(&print_report(&shown, &report, &compile))
}

fn print_report(shown: &str, report: &ModuleReport, compile: &[CompileRow]) -> String {
    let mut o = String::new();
    out!(o, "module:     {shown} ({} bytes)", report.size);
    let abi = match (&report.abi.version, &report.abi.marker, &report.abi.note) {
        (Some(v), Some(m), _) => format!("{v} ({m})"),
        (None, Some(m), Some(note)) => format!("unsupported: {m} ({note})"),
        _ => "missing: no proxy_abi_version_* function export".to_string(),
    };
    out!(o, "abi:        {abi}");
    out!(
        o,
        "allocator:  {}{}",
        report.allocator.used,
        if report.allocator.exported.len() > 1 {
            format!(" (exported: {})", report.allocator.exported.join(", "))
        } else {
            String::new()
        }
    );
    out!(
        o,
        "startup:    {}",
        if report.startup.is_empty() {
            "none".to_string()
        } else {
            report.startup.join(", ")
        }
    );
    if let Some(m) = &report.memory {
        out!(
            o,
            "memory:     {} pages initial, {}{}{}",
            m.initial_pages,
            m.maximum_pages
                .map_or("no maximum".to_string(), |p| format!("{p} pages maximum")),
            m.exported_as
                .as_ref()
                .map_or(String::new(), |e| format!(", exported as \"{e}\"")),
            if m.imported { ", imported" } else { "" }
        );
    }
    let names = |list: &[inspect::Import]| -> String {
        list.iter()
            .map(|i| format!("{}.{}", i.module, i.name))
            .collect::<Vec<_>>()
            .join(" ")
    };
    out!(
        o,
        "imports:    {} known, {} from another ABI version, {} unknown",
        report.imports.known.len(),
        report.imports.other_version.len(),
        report.imports.unknown.len()
    );
    for (label, list) in [
        ("known", &report.imports.known),
        ("other version", &report.imports.other_version),
        ("unknown", &report.imports.unknown),
    ] {
        if !list.is_empty() {
            out!(o, "  {label}: {}", names(list));
        }
    }
    out!(o, "callbacks:  {}", report.callbacks.join(" "));
    if report.signature_mismatches.is_empty() {
        out!(o, "signatures: all match spec/");
    } else {
        for m in &report.signature_mismatches {
            out!(
                o,
                "mismatch:   {} {}: expected {}, found {}",
                m.side,
                m.name,
                m.expected,
                m.found
            );
        }
    }
    for c in compile {
        match &c.error {
            None => out!(o, "compile:    {} ok ({:.1} ms)", c.backend, c.millis),
            Some(e) => out!(o, "compile:    {} failed: {e}", c.backend),
        }
    }
    o
}
