//! The performance report: criterion's estimates of one `cargo bench` run, per bench and
//! engine with their confidence intervals, and the ratios to the two floors (the raw
//! engine, the native filter) against their targets, as Markdown, JSON and SVG bar charts.
//!
//! Criterion writes `<criterion>/<group>/<function>/new/{benchmark,estimates}.json`; the
//! benches' non-time measurements (memory per VM copy, the suite's wall time) are JSON
//! files in a side folder (`target/pwconf-bench`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

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

fn read_json(path: &Path) -> Result<Value, PerfError> {
    let text = std::fs::read_to_string(path).map_err(|e| PerfError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|e| PerfError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Every `new/` result under `dir`, by id.
///
/// # Errors
/// An unreadable or malformed file (named), or no results at all.
pub fn read_criterion(dir: &Path) -> Result<BTreeMap<String, Estimate>, PerfError> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&at) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "new") {
                let (bench, estimates) = (path.join("benchmark.json"), path.join("estimates.json"));
                if bench.is_file() && estimates.is_file() {
                    let e = estimate(&read_json(&bench)?, &read_json(&estimates)?, &estimates)?;
                    found.insert(e.id.clone(), e);
                }
            } else if path.file_name().is_none_or(|n| n != "report") {
                stack.push(path);
            }
        }
    }
    if found.is_empty() {
        return Err(PerfError::Empty(dir.to_path_buf()));
    }
    Ok(found)
}

fn estimate(bench: &Value, estimates: &Value, path: &Path) -> Result<Estimate, PerfError> {
    let bad = |what: &str| PerfError::Read {
        path: path.to_path_buf(),
        message: format!("no {what}"),
    };
    let id = bench["full_id"]
        .as_str()
        .ok_or_else(|| bad("full_id"))?
        .to_string();
    let headline = match &estimates["slope"] {
        Value::Null => &estimates["mean"],
        slope => slope,
    };
    let number = |v: &Value, what: &str| v.as_f64().ok_or_else(|| bad(what));
    Ok(Estimate {
        id,
        ns: number(&headline["point_estimate"], "point_estimate")?,
        lower: number(&headline["confidence_interval"]["lower_bound"], "lower_bound")?,
        upper: number(&headline["confidence_interval"]["upper_bound"], "upper_bound")?,
        confidence: headline["confidence_interval"]["confidence_level"]
            .as_f64()
            .unwrap_or(0.95),
        elements: bench["throughput"]["Elements"].as_u64(),
    })
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

/// One target ratio as measured.
#[derive(Debug, Clone)]
pub struct Ratio {
    pub what: &'static str,
    pub engine: String,
    /// What is divided by what.
    pub detail: String,
    pub value: Option<f64>,
    /// The range the two confidence intervals allow.
    pub range: Option<(f64, f64)>,
    pub target: f64,
    /// `true`: the value must be at most the target; `false`: at least.
    pub at_most: bool,
}

impl Ratio {
    pub fn met(&self) -> Option<bool> {
        self.value.map(|v| {
            if self.at_most {
                v <= self.target
            } else {
                v >= self.target
            }
        })
    }

    fn target_text(&self) -> String {
        let op = if self.at_most { "≤" } else { "≥" };
        if self.what == SUITE_WALL {
            format!("{op} {} s", self.target)
        } else {
            format!("{op} {}×", self.target)
        }
    }

    fn value_text(&self) -> String {
        let unit = if self.what == SUITE_WALL { " s" } else { "×" };
        match (self.value, self.range) {
            (Some(v), Some((lo, hi))) => format!("{v:.2}{unit} ({lo:.2}–{hi:.2})"),
            (Some(v), None) => format!("{v:.2}{unit}"),
            _ => "not measured".to_string(),
        }
    }

    fn status(&self) -> &'static str {
        match self.met() {
            Some(true) => "met",
            Some(false) => "**missed**",
            None => "not measured",
        }
    }
}

const HOSTCALL: &str = "ABI-layer overhead per hostcall";
const LIFECYCLE: &str = "HTTP lifecycle vs native";
const WARM_COPY: &str = "warm VM copy vs bare instantiate";
const SUITE_WALL: &str = "whole suite, three backends, wall";
const SCALING: &str = "2 workers vs 1 worker, requests/s";

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
}

fn ratio_of(a: Option<&Estimate>, b: Option<&Estimate>) -> (Option<f64>, Option<(f64, f64)>) {
    match (a, b) {
        (Some(a), Some(b)) if b.ns > 0.0 && b.lower > 0.0 && a.lower > 0.0 => {
            (Some(a.ns / b.ns), Some((a.lower / b.upper, a.upper / b.lower)))
        }
        _ => (None, None),
    }
}

impl Perf<'_> {
    fn get(&self, id: &str) -> Option<&Estimate> {
        self.estimates.get(id)
    }

    /// The five target ratios, per engine where they are per engine.
    pub fn ratios(&self) -> Vec<Ratio> {
        let mut out = Vec::new();
        for (engine, _) in self.engines {
            for call in ["hostcall_get_header", "hostcall_log"] {
                let (value, range) = ratio_of(
                    self.get(&format!("{engine}/{call}/pwconf")),
                    self.get(&format!("{engine}/{call}/raw")),
                );
                out.push(Ratio {
                    what: HOSTCALL,
                    engine: engine.clone(),
                    detail: format!("{call}: pwconf / raw engine"),
                    value,
                    range,
                    target: 1.5,
                    at_most: true,
                });
            }
        }
        for (engine, _) in self.engines {
            let (value, range) = ratio_of(
                self.get(&format!("{engine}/filter/http_lifecycle")),
                self.get("native/filter/http_lifecycle"),
            );
            // The target is wasmtime's; the others are shown against the same bar.
            out.push(Ratio {
                what: LIFECYCLE,
                engine: engine.clone(),
                detail: format!("{engine} / native"),
                value,
                range,
                target: 3.0,
                at_most: true,
            });
        }
        for (engine, _) in self.engines {
            for (group, module) in [("vm_copy", "bench filter"), ("vm_copy_sdk", "SDK add_header")] {
                let (value, range) = ratio_of(
                    self.get(&format!("{engine}/{group}/warm_copy")),
                    self.get(&format!("{engine}/{group}/raw_instantiate")),
                );
                out.push(Ratio {
                    what: WARM_COPY,
                    engine: engine.clone(),
                    detail: format!("{module}: warm copy / engine's bare instantiate"),
                    value,
                    range,
                    target: 1.5,
                    at_most: true,
                });
            }
        }
        let wall = self.suite.and_then(|s| s["wall_seconds"].as_f64());
        out.push(Ratio {
            what: SUITE_WALL,
            engine: self
                .suite
                .and_then(|s| s["backends"].as_str())
                .unwrap_or("all")
                .to_string(),
            detail: self
                .suite
                .and_then(|s| s["command"].as_str())
                .map_or_else(|| "`pwconf run`, release build".to_string(), |c| format!("`{c}`")),
            value: wall,
            range: None,
            target: 10.0,
            at_most: true,
        });
        for (engine, _) in self.engines {
            // Requests/s is the inverse of time per request: rps2 / rps1 = t1 / t2.
            let (value, range) = ratio_of(
                self.get(&format!("{engine}/throughput/1_worker")),
                self.get(&format!("{engine}/throughput/2_workers")),
            );
            out.push(Ratio {
                what: SCALING,
                engine: engine.clone(),
                detail: "requests/s with 2 workers / with 1".to_string(),
                value,
                range,
                target: 1.7,
                at_most: false,
            });
        }
        out
    }

    fn engine_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.engines.iter().map(|(n, _)| n.clone()).collect();
        names.push("native".to_string());
        names
    }

    /// Bench rows: (group, function) → per engine estimate, in a stable order.
    fn rows(&self) -> Vec<(String, BTreeMap<String, &Estimate>)> {
        let engines = self.engine_names();
        let mut rows: Vec<(String, BTreeMap<String, &Estimate>)> = Vec::new();
        for e in self.estimates.values() {
            let Some((engine, rest)) = e.id.split_once('/') else {
                continue;
            };
            if !engines.iter().any(|n| n == engine) {
                continue;
            }
            match rows.iter_mut().find(|(r, _)| r == rest) {
                Some((_, m)) => {
                    m.insert(engine.to_string(), e);
                }
                None => rows.push((rest.to_string(), BTreeMap::from([(engine.to_string(), e)]))),
            }
        }
        let rank = |r: &str| {
            GROUP_ORDER
                .iter()
                .position(|g| r.starts_with(g))
                .unwrap_or(GROUP_ORDER.len())
        };
        rows.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then(a.0.cmp(&b.0)));
        rows
    }

    pub fn markdown(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "# pwconf performance report\n");
        let _ = writeln!(
            o,
            "Generated {} from one `cargo bench` run (`scripts/bench`).\n",
            self.generated
        );
        let _ = writeln!(o, "- Machine: {}, {} cores", self.machine.cpu, self.machine.cores);
        let versions: Vec<String> = self.engines.iter().map(|(n, v)| format!("{n} {v}")).collect();
        let _ = writeln!(o, "- Engines: {}", versions.join(", "));
        if let Some(suite) = self.suite {
            let load = |k: &str| suite[k].as_str().unwrap_or("unknown").to_string();
            if suite.get("load_average_before").is_some() {
                let _ = writeln!(
                    o,
                    "- Load average (1, 5, 15 min) when the run started: {}; when it ended: {}",
                    load("load_average_before"),
                    load("load_average_after")
                );
            }
            if suite["quick"].as_i64() == Some(1) {
                let _ = writeln!(
                    o,
                    "- Quick mode (`scripts/bench --quick`): short measurements, wider intervals"
                );
            }
        }
        let _ = writeln!(
            o,
            "- Times are criterion's estimates per iteration with their {:.0}% confidence interval; a ratio's range is what the two intervals allow.\n",
            self.estimates
                .values()
                .next()
                .map_or(95.0, |e| e.confidence * 100.0)
        );
        let _ = writeln!(o, "## Targets\n");
        let _ = writeln!(
            o,
            "| target | engine | measured | ratio (range) | target | status |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        for r in self.ratios() {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                r.what,
                r.engine,
                r.detail,
                r.value_text(),
                r.target_text(),
                r.status()
            );
        }
        let ratios = self.ratios();
        let met = ratios.iter().filter(|r| r.met() == Some(true)).count();
        let missed = ratios.iter().filter(|r| r.met() == Some(false)).count();
        let absent = ratios.len() - met - missed;
        let _ = writeln!(o, "\n{met} met, {missed} missed, {absent} not measured.\n");
        let _ = writeln!(o, "![target ratios](perf-ratios.svg)\n");

        let _ = writeln!(o, "## Benches\n");
        let engines = self.engine_names();
        let _ = writeln!(o, "| bench | {} |", engines.join(" | "));
        let _ = writeln!(o, "|---|{}", "---|".repeat(engines.len()));
        for (row, per) in self.rows() {
            let cells: Vec<String> = engines
                .iter()
                .map(|e| per.get(e).map_or_else(|| "–".to_string(), |est| cell(est)))
                .collect();
            let _ = writeln!(o, "| {row} | {} |", cells.join(" | "));
        }
        let _ = writeln!(o);
        for (group, _) in self.chart_groups() {
            let _ = writeln!(o, "![{group}](perf-{group}.svg)");
        }
        let _ = writeln!(o, "\n## Memory per VM copy\n");
        match self.memory.and_then(|m| m["rows"].as_array()) {
            Some(rows) if !rows.is_empty() => {
                let method = self.memory.and_then(|m| m["method"].as_str()).unwrap_or("");
                let _ = writeln!(o, "Method: {method}.\n");
                let _ = writeln!(
                    o,
                    "| engine | module | copies | RSS per copy | linear memory (size / resident) | host overhead |"
                );
                let _ = writeln!(o, "|---|---|---|---|---|---|");
                for r in rows {
                    let _ = writeln!(
                        o,
                        "| {} | {} | {} | {} | {} / {} | {} |",
                        r["backend"].as_str().unwrap_or("?"),
                        r["module"].as_str().unwrap_or("?"),
                        r["copies"],
                        kib(&r["rss_per_copy"]),
                        kib(&r["linear_memory_size"]),
                        kib(&r["linear_memory_touched"]),
                        kib(&r["host_overhead"]),
                    );
                }
            }
            _ => {
                let _ = writeln!(o, "Not measured in this run.");
            }
        }
        let _ = writeln!(o, "\n## What each bench measures\n");
        for (prefix, meaning) in MEANINGS {
            let _ = writeln!(o, "- `{prefix}`: {meaning}");
        }
        if let Some(notes) = self.notes {
            let _ = writeln!(o, "\n## Notes\n\n{}", notes.trim());
        }
        o
    }

    pub fn json(&self) -> Value {
        let benches: Vec<Value> = self
            .estimates
            .values()
            .map(|e| {
                json!({
                    "id": e.id,
                    "ns": e.ns,
                    "lower_ns": e.lower,
                    "upper_ns": e.upper,
                    "confidence": e.confidence,
                    "elements_per_iteration": e.elements,
                    "elements_per_second": e.elements.map(|n| n as f64 * 1e9 / e.ns),
                })
            })
            .collect();
        let ratios: Vec<Value> = self
            .ratios()
            .iter()
            .map(|r| {
                json!({
                    "target": r.what,
                    "engine": r.engine,
                    "detail": r.detail,
                    "value": r.value,
                    "range": r.range.map(|(a, b)| [a, b]),
                    "limit": r.target,
                    "at_most": r.at_most,
                    "met": r.met(),
                })
            })
            .collect();
        json!({
            "generated": self.generated,
            "machine": {"cpu": self.machine.cpu, "cores": self.machine.cores},
            "engines": self.engines.iter().map(|(n, v)| json!({"name": n, "version": v})).collect::<Vec<_>>(),
            "ratios": ratios,
            "benches": benches,
            "memory": self.memory,
            "suite": self.suite,
        })
    }

    fn chart_groups(&self) -> Vec<(String, Vec<(String, &Estimate)>)> {
        let mut groups: Vec<(String, Vec<(String, &Estimate)>)> = Vec::new();
        for (row, per) in self.rows() {
            let group = row.split('/').next().unwrap_or(&row).to_string();
            let function = row.split_once('/').map_or("", |(_, f)| f).to_string();
            let bars = per.into_iter().map(|(engine, e)| {
                let label = if function.is_empty() {
                    engine
                } else {
                    format!("{engine} {function}")
                };
                (label, e)
            });
            match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, b)) => b.extend(bars),
                None => groups.push((group, bars.collect())),
            }
        }
        for (_, bars) in &mut groups {
            bars.sort_by(|a, b| a.0.cmp(&b.0));
        }
        groups
    }

    /// The SVG charts by file name: one per bench group, and the target ratios.
    pub fn charts(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (group, bars) in self.chart_groups() {
            let bars: Vec<Bar> = bars
                .iter()
                .map(|(label, e)| Bar {
                    label: label.clone(),
                    value: e.ns,
                    low: e.lower,
                    high: e.upper,
                    marker: None,
                    ok: None,
                })
                .collect();
            let (scale, unit) = time_unit(bars.iter().map(|b| b.high).fold(0.0, f64::max));
            let scaled: Vec<Bar> = bars
                .into_iter()
                .map(|b| Bar {
                    value: b.value / scale,
                    low: b.low / scale,
                    high: b.high / scale,
                    ..b
                })
                .collect();
            let title = format!("{group}: time per iteration ({unit}), with confidence interval");
            out.push((format!("perf-{group}.svg"), bar_chart(&title, unit, &scaled)));
        }
        let bars: Vec<Bar> = self
            .ratios()
            .iter()
            .filter(|r| r.what != SUITE_WALL)
            .filter_map(|r| {
                let v = r.value?;
                let (low, high) = r.range.unwrap_or((v, v));
                Some(Bar {
                    label: format!("{} {}", r.engine, short(r)),
                    value: v,
                    low,
                    high,
                    marker: Some(r.target),
                    ok: r.met(),
                })
            })
            .collect();
        out.push((
            "perf-ratios.svg".to_string(),
            bar_chart(
                "Target ratios (bar: measured with range; tick: target)",
                "×",
                &bars,
            ),
        ));
        out
    }
}

fn short(r: &Ratio) -> String {
    match r.what {
        HOSTCALL => r
            .detail
            .split(':')
            .next()
            .unwrap_or("")
            .replace("hostcall_", "hostcall "),
        LIFECYCLE => "HTTP lifecycle / native".to_string(),
        WARM_COPY => format!("warm copy ({})", r.detail.split(':').next().unwrap_or("")),
        SCALING => "2 workers / 1 worker rps".to_string(),
        _ => r.what.to_string(),
    }
}

/// The order bench groups appear in.
const GROUP_ORDER: &[&str] = &[
    "module",
    "hostcall_read64",
    "hostcall_get_header",
    "hostcall_log",
    "filter",
    "vm_copy",
    "vm_copy_sdk",
    "throughput",
];

const MEANINGS: &[(&str, &str)] = &[
    (
        "module/compile",
        "compile the probe module (a few hundred bytes of Wasm)",
    ),
    (
        "module/compile_sdk",
        "compile a real SDK-built module (the Rust SDK's add_header, ~125 KB)",
    ),
    (
        "module/artifact_load",
        "load the probe's AOT artifact (no compiling)",
    ),
    (
        "module/instantiate",
        "instantiate the linked probe through pwconf's backend layer",
    ),
    (
        "hostcall_read64/{pwconf,raw}",
        "1000 host calls copying 64 bytes out of guest memory: through pwconf's backend layer / written on the engine's API",
    ),
    (
        "hostcall_get_header/{pwconf,raw}",
        "1000 `proxy_get_header_map_value` calls returning a 20-byte value through the guest's allocator: the host's hostcall / the same work on the engine's API",
    ),
    (
        "hostcall_log/{pwconf,raw}",
        "1000 `proxy_log` calls: the host's hostcall / the same copy on the engine's API",
    ),
    (
        "filter/http_lifecycle",
        "one HTTP stream through the bench filter: create, read 2 request headers and add 1, set 1 response header, log, done, delete (`native`: the same filter as Rust code, no Wasm)",
    ),
    (
        "filter/tcp_10_chunks",
        "one TCP connection with 10 data chunks of 1 KiB through the bench filter",
    ),
    (
        "vm_copy*/warm_copy",
        "a worker's new VM copy from the shared linked module: instantiate, callback checks, start-up (`_initialize`/`main`)",
    ),
    (
        "vm_copy*/instantiate",
        "the instantiation alone through pwconf's backend layer",
    ),
    (
        "vm_copy*/raw_instantiate",
        "the engine's own bare instantiation of the same module (a fresh store, imports resolved as stubs)",
    ),
    (
        "throughput/{1_worker,2_workers}",
        "HTTP streams through the whole proxy (main thread dispatching to worker threads), time per request; requests/s is its inverse",
    ),
];

fn cell(e: &Estimate) -> String {
    let (scale, unit) = time_unit(e.ns);
    let mut text = format!(
        "{:.3} {unit} [{:.3}–{:.3}]",
        e.ns / scale,
        e.lower / scale,
        e.upper / scale
    );
    if let Some(n) = e.elements {
        let per_second = n as f64 * 1e9 / e.ns;
        let _ = write!(text, " ({})", rate(per_second));
    }
    text
}

fn rate(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.2} M/s", per_second / 1e6)
    } else if per_second >= 1e3 {
        format!("{:.1} k/s", per_second / 1e3)
    } else {
        format!("{per_second:.1}/s")
    }
}

fn time_unit(ns: f64) -> (f64, &'static str) {
    if ns >= 1e9 {
        (1e9, "s")
    } else if ns >= 1e6 {
        (1e6, "ms")
    } else if ns >= 1e3 {
        (1e3, "µs")
    } else {
        (1.0, "ns")
    }
}

fn kib(v: &Value) -> String {
    v.as_f64()
        .map_or_else(|| "?".to_string(), |b| format!("{:.1} KiB", b / 1024.0))
}

struct Bar {
    label: String,
    value: f64,
    low: f64,
    high: f64,
    /// A target tick on the bar.
    marker: Option<f64>,
    /// Colours the bar: met (green), missed (red), or neutral.
    ok: Option<bool>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart with confidence whiskers, written as plain SVG: a chart this
/// simple needs no plotting library (and no font metrics to lay out its labels).
fn bar_chart(title: &str, unit: &str, bars: &[Bar]) -> String {
    let (label_w, plot_w, row_h, top) = (300.0, 460.0, 22.0, 40.0);
    let height = top + row_h * bars.len() as f64 + 30.0;
    let width = label_w + plot_w + 90.0;
    let max = bars
        .iter()
        .map(|b| b.high.max(b.marker.unwrap_or(0.0)))
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let x = |v: f64| label_w + plot_w * (v / max).clamp(0.0, 1.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="10" y="22" font-size="14" font-weight="bold">{}</text>"#,
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let fill = match b.ok {
            Some(true) => "#4c9a5b",
            Some(false) => "#c8553d",
            None => "#4e79a7",
        };
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            label_w - 8.0,
            y + 15.0,
            escape(&b.label)
        );
        let _ = writeln!(
            s,
            r#"<rect x="{label_w}" y="{}" width="{:.1}" height="{}" fill="{fill}"/>"#,
            y + 4.0,
            x(b.value) - label_w,
            row_h - 8.0
        );
        let (lo, hi, mid) = (x(b.low), x(b.high), y + row_h / 2.0);
        let _ = writeln!(
            s,
            r#"<path d="M{lo:.1} {mid} H{hi:.1} M{lo:.1} {} V{} M{hi:.1} {} V{}" stroke="black" fill="none"/>"#,
            mid - 4.0,
            mid + 4.0,
            mid - 4.0,
            mid + 4.0
        );
        if let Some(m) = b.marker {
            let mx = x(m);
            let _ = writeln!(
                s,
                r#"<path d="M{mx:.1} {} V{}" stroke="black" stroke-width="2" stroke-dasharray="3 2"/>"#,
                y + 1.0,
                y + row_h - 1.0
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{}">{} {unit}</text>"#,
            hi.max(x(b.value)) + 6.0,
            y + 15.0,
            number(b.value)
        );
    }
    let axis_y = top + row_h * bars.len() as f64 + 4.0;
    let _ = writeln!(
        s,
        r#"<path d="M{label_w} {axis_y} H{}" stroke="gray"/><text x="{label_w}" y="{}">0</text><text x="{}" y="{}" text-anchor="end">{} {unit}</text>"#,
        label_w + plot_w,
        axis_y + 16.0,
        label_w + plot_w,
        axis_y + 16.0,
        number(max)
    );
    s.push_str("</svg>\n");
    s
}

fn number(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
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
        ]
        .into_iter()
        .collect();
        let engines = vec![("wasmtime".to_string(), "48.0.8".to_string())];
        let machine = Machine {
            cpu: "test cpu".to_string(),
            cores: 2,
        };
        let suite = json!({"wall_seconds": 12.5, "backends": "all", "command": "pwconf run"});
        let perf = Perf {
            estimates: &estimates,
            engines: &engines,
            machine: &machine,
            memory: None,
            suite: Some(&suite),
            notes: None,
            generated: "2026-01-01",
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
        let md = perf.markdown();
        assert!(md.contains("test cpu, 2 cores"), "{md}");
        assert!(md.contains("wasmtime 48.0.8"), "{md}");
        assert!(md.contains("**missed**") && md.contains("not measured"), "{md}");
        let charts = perf.charts();
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
