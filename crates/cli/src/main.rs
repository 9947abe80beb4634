//! `pwconf`: certify Proxy-Wasm hosts and compare Wasm engines.
//!
//! One job: the command line. Neighbours: every library crate is below it; errors become
//! exit codes and one line on stderr here (anyhow at this edge only).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use pwconf_abi::AbiVersion;
use serde::Serialize;

mod bench;
mod certify;
mod check;
mod describe;
mod junit;
mod report;
mod run;
mod sdk;
mod sdk_test;
mod verbose;

#[derive(Parser)]
#[command(
    name = "pwconf",
    version,
    about = "Certify Proxy-Wasm hosts on wasmtime, wasmer and wasmi",
    arg_required_else_help = true,
    after_help = "Exit codes: 0 success, 1 a trial or expectation failed, 2 bad input or usage, 4 no tests to run."
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
        /// Also show every callback and hostcall, with decoded arguments, per backend.
        #[arg(long, short)]
        verbose: bool,
        #[arg(long, value_enum, default_value = "human")]
        format: run::RunFormat,
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
        /// Only trials whose name (`<backend>::<area>::<case>::<abi>`, or
        /// `<backend>::sdk::<module>::<scenario>`) contains one of these, as printed by
        /// `--list` and by a failure.
        #[arg(value_name = "FILTER")]
        filters: Vec<String>,
        /// The same as a FILTER (repeatable).
        #[arg(long = "filter", value_name = "FILTER")]
        filter: Vec<String>,
        /// Filters and skips match whole trial names only.
        #[arg(long)]
        exact: bool,
        /// Leave out trials whose name contains this (repeatable).
        #[arg(long, value_name = "FILTER")]
        skip: Vec<String>,
        /// List the selected trials' names (one per line, or `--format json`) and run none.
        #[arg(long)]
        list: bool,
        /// Run one shard of the selected trials, as nextest: `count:I/N` (every N-th,
        /// from the I-th) or `hash:I/N` (by a hash of the name, stable as trials are added).
        #[arg(long, value_name = "count:I/N|hash:I/N")]
        partition: Option<pwconf_suite::select::Partition>,
        /// The same as `--partition count:I/N`.
        #[arg(long, value_name = "I/N", conflicts_with = "partition")]
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
        /// The earlier sdk.json to compare the SDK report with (default: the one in --out,
        /// which this run replaces); it is never overwritten.
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
    },
    /// SDK maintainers' commands.
    Sdk {
        #[command(subcommand)]
        command: SdkCommand,
    },
    /// Certify a host through the host-under-test protocol: reports/hosts/<host>.md, .json.
    Certify(certify::Args),
    /// Measure a module on every engine: compile, artifact load, VM start, per-request
    /// latency, requests/s with 1..N workers, memory per VM copy; `--baseline` says what
    /// changed since an earlier run.
    Bench(bench::Args),
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
enum SdkCommand {
    /// Build every filter against a local SDK checkout (scripts/build-guests --sdk-path)
    /// and run them, compared with the SDK's last release in the baseline report.
    Test {
        /// The SDK checkout.
        #[arg(long, value_name = "DIR")]
        sdk_path: PathBuf,
        /// Which SDK it is (default: rust for a Cargo.toml, assemblyscript for a package.json).
        #[arg(long)]
        sdk: Option<String>,
        /// The report of the releases (default: the repository's reports/sdk.json).
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
        /// The SDK folder (default: the repository's conformance/sdk).
        #[arg(long, value_name = "DIR")]
        suite: Option<PathBuf>,
        /// Where to write this run's sdk.md and sdk.json.
        #[arg(long, default_value = "target/pwconf-sdk-test")]
        out: PathBuf,
        /// A backend name, or `all`.
        #[arg(long, default_value = "all")]
        backend: String,
        #[arg(long)]
        jobs: Option<usize>,
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
    // clap's whole message: what is wrong, the suggestion ("a similar argument exists"),
    // the usage and, for a bare `pwconf`, the command list; exit 2 for a usage error.
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Backends { format } => describe::backends(format),
        Command::Abi { version, format } => describe::abi(version, format),
        Command::Inspect {
            module,
            backend,
            format,
        } => describe::inspect_module(&module, backend.as_deref(), format),
        Command::Check {
            module,
            config,
            scenario,
            backend,
            workers,
            real_time,
            verbose,
            format,
        } => check::run(&check::Args {
            module,
            config,
            scenario,
            backend,
            workers,
            real_time,
            verbose,
            format,
        }),
        Command::Certify(args) => certify::run(&args),
        Command::Bench(args) => bench::run(&args),
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
            baseline,
        } => report::report(&run::Args::all(suite), &out, baseline.as_deref()),
        Command::Sdk {
            command:
                SdkCommand::Test {
                    sdk_path,
                    sdk,
                    baseline,
                    suite,
                    out,
                    backend,
                    jobs,
                },
        } => sdk_test::run(&sdk_test::Args {
            sdk_path,
            sdk,
            baseline,
            suite,
            out,
            backend,
            jobs,
        }),
        Command::Run {
            suite,
            backend,
            abi,
            filters,
            filter,
            exact,
            skip,
            list,
            partition,
            shard,
            jobs,
            format,
        } => shard
            .map(|s| {
                format!("count:{s}")
                    .parse::<pwconf_suite::select::Partition>()
                    .map_err(|e| anyhow::anyhow!("--shard {s}: {} (expected I/N, 1 <= I <= N)", e.why))
            })
            .transpose()
            .and_then(|shard| {
                run::run(&run::Args {
                    suite,
                    backend,
                    abi,
                    selection: pwconf_suite::select::Selection {
                        filters: filters.into_iter().chain(filter).collect(),
                        skip,
                        exact,
                        partition: partition.or(shard),
                    },
                    list,
                    jobs,
                    format,
                })
            }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.downcast_ref::<check::NotMet>().is_some() => ExitCode::from(1),
        Err(err) if err.downcast_ref::<run::RunFailed>().is_some() => ExitCode::from(1),
        Err(err) if err.downcast_ref::<run::NoTests>().is_some() => {
            eprintln!("pwconf: error: {err}");
            ExitCode::from(4)
        }
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
