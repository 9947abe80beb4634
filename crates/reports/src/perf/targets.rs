//! The target ratios of the perf report: each bench over its floor in the same run.

use super::*;

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

    /// The unit of the value: seconds, microseconds, or a ratio.
    fn unit(&self) -> &'static str {
        match self.what {
            SUITE_WALL => " s",
            LIFECYCLE_TIME => " µs",
            _ => "×",
        }
    }

    /// The target with its direction: lower or higher is better.
    pub(super) fn target_text(&self) -> String {
        let (op, better) = if self.at_most {
            ("≤", "lower is better")
        } else {
            ("≥", "higher is better")
        };
        format!("{op} {}{} ({better})", self.target, self.unit())
    }

    pub(super) fn value_text(&self) -> String {
        let unit = self.unit();
        match (self.value, self.range) {
            (Some(v), Some((lo, hi))) => format!("{v:.2}{unit} ({lo:.2}–{hi:.2})"),
            (Some(v), None) => format!("{v:.2}{unit}"),
            _ => "not measured".to_string(),
        }
    }

    pub(super) fn status(&self) -> &'static str {
        match self.met() {
            Some(true) => "met",
            Some(false) => "**missed**",
            None => "not measured",
        }
    }
}

pub(super) const HOSTCALL: &str = "ABI-layer overhead per hostcall";
pub(super) const LIFECYCLE: &str = "HTTP lifecycle vs native";
pub(super) const WARM_COPY: &str = "warm VM copy vs bare instantiate";
pub(super) const LIFECYCLE_TIME: &str = "HTTP lifecycle of the bench filter, time per stream";
pub(super) const SUITE_WALL: &str = "whole suite, three backends, wall";
pub(super) const SCALING: &str = "2 workers vs 1 worker, requests/s";

pub(super) fn ratio_of(a: Option<&Estimate>, b: Option<&Estimate>) -> (Option<f64>, Option<(f64, f64)>) {
    match (a, b) {
        (Some(a), Some(b)) if b.ns > 0.0 && b.lower > 0.0 && a.lower > 0.0 => {
            (Some(a.ns / b.ns), Some((a.lower / b.upper, a.upper / b.lower)))
        }
        _ => (None, None),
    }
}

impl Perf<'_> {
    /// The targets (#18's), per engine where they are per engine: ratios to a floor
    /// measured in the same run, and the host's own cost per stream in µs.
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
        // The host's own cost: the null-VM floor itself, and wasmtime's whole lifecycle.
        for (engine, target) in [("native", 0.5), ("wasmtime", 1.0)] {
            let e = self.get(&format!("{engine}/filter/http_lifecycle"));
            out.push(Ratio {
                what: LIFECYCLE_TIME,
                engine: engine.to_string(),
                detail: format!("{engine}/filter/http_lifecycle, µs per stream"),
                value: e.map(|e| e.ns / 1e3),
                range: e.map(|e| (e.lower / 1e3, e.upper / 1e3)),
                target,
                at_most: true,
            });
        }
        for (engine, _) in self.engines {
            for (group, module) in [("vm_copy", "bench filter"), ("vm_copy_sdk", "SDK headers")] {
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
            target: 1.0,
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
                target: 1.8,
                at_most: false,
            });
        }
        out
    }
}

pub(super) fn short(r: &Ratio) -> String {
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
        LIFECYCLE_TIME => "HTTP lifecycle µs".to_string(),
        _ => r.what.to_string(),
    }
}
