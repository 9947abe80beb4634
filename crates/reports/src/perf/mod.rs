//! The performance report: criterion's estimates of one `cargo bench` run, per bench and
//! engine with their confidence intervals, and the ratios to the two floors (the raw
//! engine, the native filter) against their targets, as Markdown, JSON and SVG bar charts.
//!
//! Criterion writes `<criterion>/<group>/<function>/new/{benchmark,estimates}.json`; the
//! benches' non-time measurements (memory per VM copy, the suite's wall time) are JSON
//! files in a side folder (`target/pwconf-bench`).
//!
//! [`criterion`] reads the estimates, [`targets`] computes the target ratios,
//! [`markdown`] writes perf.md and perf.json, [`svg`] the charts.

mod criterion;
mod markdown;
mod previous;
mod svg;
mod targets;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

pub use criterion::read_criterion;
use markdown::*;
pub use previous::Moved;
pub use svg::engine_colour;
pub use targets::Ratio;
use targets::*;

/// A bench result read from criterion.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// The full id, `<engine>/<group>/<function>`.
    pub id: String,
    /// Nanoseconds per iteration: criterion's headline estimate (the slope of a linear
    /// sampling, else the mean), with its confidence interval.
    pub ns: f64,
    pub lower: f64,
    pub upper: f64,
    pub confidence: f64,
    /// Elements per iteration, when the bench declared a throughput.
    pub elements: Option<u64>,
}

/// Why the report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PerfError {
    #[error("{path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("no criterion results under {0} (run `cargo bench` or scripts/bench first)")]
    Empty(PathBuf),
}

/// Where the numbers were measured.
#[derive(Debug, Clone)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
}

impl Machine {
    /// This machine: the CPU model from `/proc/cpuinfo` and the cores this process may use.
    pub fn current() -> Machine {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|t| {
                t.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| std::env::consts::ARCH.to_string());
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Machine { cpu, cores }
    }
}

/// Everything the report is made of.
pub struct Perf<'a> {
    pub estimates: &'a BTreeMap<String, Estimate>,
    /// Engine names and versions, in registry order.
    pub engines: &'a [(String, String)],
    pub machine: &'a Machine,
    /// `memory.json` from the benches, if they measured it.
    pub memory: Option<&'a Value>,
    /// `suite.json` (`pwconf run` wall time), if measured.
    pub suite: Option<&'a Value>,
    /// Hand-written notes on missed targets, appended as they are.
    pub notes: Option<&'a str>,
    pub generated: &'a str,
    /// The `perf.json` this run replaces, to say what moved since.
    pub previous: Option<&'a Value>,
}

impl Perf<'_> {
    fn get(&self, id: &str) -> Option<&Estimate> {
        self.estimates.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(id: &str, ns: f64) -> (String, Estimate) {
        (
            id.to_string(),
            Estimate {
                id: id.to_string(),
                ns,
                lower: ns * 0.9,
                upper: ns * 1.1,
                confidence: 0.95,
                elements: None,
            },
        )
    }

    #[test]
    fn ratios_compare_against_their_targets_and_absent_ones_say_so() {
        let estimates: BTreeMap<String, Estimate> = [
            est("wasmtime/hostcall_get_header/pwconf", 120.0),
            est("wasmtime/hostcall_get_header/raw", 100.0),
            est("wasmtime/hostcall_log/pwconf", 200.0),
            est("wasmtime/hostcall_log/raw", 100.0),
            est("wasmtime/filter/http_lifecycle", 5000.0),
            est("native/filter/http_lifecycle", 2000.0),
            est("wasmtime/throughput/1_worker", 1000.0),
            est("wasmtime/throughput/2_workers", 500.0),
            est("wasmtime/module/compile", 1e7),
            est("wasmtime/module/instantiate", 1e3),
        ]
        .into_iter()
        .collect();
        let engines = vec![("wasmtime".to_string(), "48.0.8".to_string())];
        let machine = Machine {
            cpu: "test cpu".to_string(),
            cores: 2,
        };
        let suite = json!({"wall_seconds": 12.5, "backends": "all", "command": "pwconf run"});
        // The previous run: the log hostcall was 2× slower (moved), the lifecycle the same.
        let previous = json!({"generated": "2025-12-31", "benches": [
            {"id": "wasmtime/hostcall_log/pwconf", "ns": 400.0, "lower_ns": 390.0, "upper_ns": 410.0},
            {"id": "wasmtime/filter/http_lifecycle", "ns": 5100.0, "lower_ns": 4900.0, "upper_ns": 5300.0},
            {"id": "wasmer/filter/http_lifecycle", "ns": 1.0, "lower_ns": 1.0, "upper_ns": 1.0}
        ]});
        let perf = Perf {
            estimates: &estimates,
            engines: &engines,
            machine: &machine,
            memory: None,
            suite: Some(&suite),
            notes: None,
            generated: "2026-01-01",
            previous: Some(&previous),
        };
        let ratios = perf.ratios();
        let find = |what: &str, detail: &str| {
            ratios
                .iter()
                .find(|r| r.what == what && r.detail.contains(detail))
                .unwrap_or_else(|| panic!("{what} {detail}"))
        };
        assert_eq!(find(HOSTCALL, "get_header").met(), Some(true));
        assert_eq!(find(HOSTCALL, "hostcall_log").met(), Some(false));
        assert!((find(LIFECYCLE, "wasmtime").value.unwrap() - 2.5).abs() < 1e-9);
        assert_eq!(find(SCALING, "2 workers").met(), Some(true));
        assert_eq!(find(SUITE_WALL, "pwconf run").met(), Some(false));
        assert_eq!(find(WARM_COPY, "bench filter").met(), None);
        // 2 µs native misses ≤ 0.5 µs; 5 µs on wasmtime misses ≤ 1 µs; both say so in µs.
        assert_eq!(find(LIFECYCLE_TIME, "native/").met(), Some(false));
        assert!((find(LIFECYCLE_TIME, "wasmtime/").value.unwrap() - 5.0).abs() < 1e-9);
        assert_eq!(
            find(LIFECYCLE_TIME, "wasmtime/").target_text(),
            "≤ 1 µs (lower is better)"
        );
        let (moved, compared) = perf.since_previous().unwrap_or_default();
        assert_eq!(compared, 2);
        assert_eq!(
            moved.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            ["wasmtime/hostcall_log/pwconf"]
        );
        assert!((moved[0].ratio - 0.5).abs() < 1e-9);
        let md = perf.markdown();
        assert!(
            md.contains("Against the run of 2025-12-31: 1 of 2 benches moved"),
            "{md}"
        );
        assert!(md.contains("test cpu, 2 cores"), "{md}");
        assert!(md.contains("wasmtime 48.0.8"), "{md}");
        assert!(md.contains("**missed**") && md.contains("not measured"), "{md}");
        let charts = perf.charts();
        let chart = |name: &str| {
            charts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, svg)| svg.as_str())
                .unwrap_or_else(|| panic!("no {name}"))
        };
        // 10 ms next to 1 µs: a log scale; 5 µs next to 2 µs: linear. Engines in the legend.
        assert!(chart("perf-module.svg").contains("(log scale)"));
        let filter = chart("perf-filter.svg");
        assert!(
            !filter.contains("(log scale)")
                && filter.contains(">native</text>")
                && filter.contains(engine_colour("native")),
            "{filter}"
        );
        assert!(chart("perf-ratios.svg").contains("≤ 1.5×") && chart("perf-ratios.svg").contains("≥ 1.8×"));
        assert!(charts.iter().any(|(n, _)| n == "perf-ratios.svg"));
        assert!(
            charts
                .iter()
                .all(|(_, svg)| svg.starts_with("<svg") && svg.ends_with("</svg>\n"))
        );
    }

    #[test]
    fn criterion_files_are_read_and_a_missing_folder_is_an_error() {
        let dir = std::env::temp_dir().join(format!("pwconf-perf-test-{}", std::process::id()));
        let new = dir.join("wasmtime_hostcall_log").join("raw").join("new");
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(
            new.join("benchmark.json"),
            r#"{"group_id":"wasmtime/hostcall_log","function_id":"raw","full_id":"wasmtime/hostcall_log/raw","throughput":{"Elements":1000}}"#,
        )
        .unwrap();
        std::fs::write(
            new.join("estimates.json"),
            r#"{"mean":{"point_estimate":10.0,"confidence_interval":{"lower_bound":9.0,"upper_bound":11.0,"confidence_level":0.95}},"slope":null}"#,
        )
        .unwrap();
        let found = read_criterion(&dir).unwrap();
        let e = &found["wasmtime/hostcall_log/raw"];
        assert_eq!(
            (e.ns, e.lower, e.upper, e.elements),
            (10.0, 9.0, 11.0, Some(1000))
        );
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(read_criterion(&dir), Err(PerfError::Empty(_))));
    }
}
