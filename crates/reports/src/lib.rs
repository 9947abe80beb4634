//! The compatibility report: the matrix case × backend × ABI with outcomes and divergence
//! reasons, summaries per area and per backend, and coverage, as Markdown, JSON and a
//! self-contained HTML page. Output is reproducible: stable order, and the date only in
//! the header line, so a diff of two reports shows real changes.
//!
//! One job: render results. Neighbours: it reads trial results from `pwconf-suite` and the
//! ABI from `pwconf-abi`; the CLI writes what it renders.

mod html;
pub mod perf;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pwconf_abi::AbiVersion;
use pwconf_suite::{Coverage, Outcome, Suite, TrialResult};
use serde_json::{Value, json};

pub mod sdk;
pub mod sdk_compare;

/// Everything a report is made of.
pub struct Compat<'a> {
    pub suite: &'a Suite,
    pub results: &'a [TrialResult],
    pub coverage: &'a Coverage,
    /// The header line's date (with the commit and engines, the only line that changes
    /// between identical runs).
    pub generated: &'a str,
    /// The commit of the run (`git describe`-like: short hash, `+dirty` for local edits).
    pub commit: &'a str,
    /// (backend, engine version) of every backend of this build.
    pub engines: &'a [(String, String)],
}

fn symbol(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "FAIL",
        Outcome::ExpectedFail => "xfail",
        Outcome::UnexpectedPass => "XPASS",
        Outcome::Skip => "-",
    }
}

impl Compat<'_> {
    fn backends(&self) -> Vec<String> {
        let mut b: Vec<String> = Vec::new();
        for r in self.results {
            if !b.contains(&r.backend) {
                b.push(r.backend.clone());
            }
        }
        b
    }

    fn columns(&self) -> Vec<(String, AbiVersion)> {
        self.backends()
            .into_iter()
            .flat_map(|b| AbiVersion::ALL.into_iter().map(move |v| (b.clone(), v)))
            .collect()
    }

    fn outcome(&self, case: &str, backend: &str, abi: AbiVersion) -> Option<&TrialResult> {
        self.results
            .iter()
            .find(|r| r.case == case && r.backend == backend && r.abi == abi)
    }

    /// Counts per key of (pass, fail, expected-fail, unexpected-pass).
    fn tally(&self, key: impl Fn(&TrialResult) -> String) -> BTreeMap<String, [usize; 4]> {
        let mut map: BTreeMap<String, [usize; 4]> = BTreeMap::new();
        for r in self.results {
            let slot = match r.outcome {
                Outcome::Pass => 0,
                Outcome::Fail => 1,
                Outcome::ExpectedFail => 2,
                Outcome::UnexpectedPass => 3,
                Outcome::Skip => continue,
            };
            map.entry(key(r)).or_default()[slot] += 1;
        }
        map
    }

    pub fn markdown(&self) -> String {
        let mut o = String::new();
        let engines: Vec<String> = self
            .engines
            .iter()
            .map(|(name, version)| format!("{name} {version}"))
            .collect();
        let _ = writeln!(
            o,
            "# pwconf compatibility report\n\nGenerated {} at commit {} on {}.\n",
            self.generated,
            self.commit,
            engines.join(", ")
        );
        let columns = self.columns();
        let _ = writeln!(
            o,
            "## Summary by backend\n\n| backend | pass | fail | expected-fail | unexpected-pass |\n|---|---:|---:|---:|---:|"
        );
        // Backends in the order of the matrix's columns (the run's order).
        let by_backend = self.tally(|r| r.backend.clone());
        for b in self.backends() {
            let [p, f, x, u] = by_backend.get(&b).copied().unwrap_or_default();
            let _ = writeln!(o, "| {b} | {p} | {f} | {x} | {u} |");
        }
        let _ = writeln!(
            o,
            "\n## Summary by area\n\n| area | pass | fail | expected-fail | unexpected-pass |\n|---|---:|---:|---:|---:|"
        );
        for (a, [p, f, x, u]) in self.tally(|r| r.area.clone()) {
            let _ = writeln!(o, "| {a} | {p} | {f} | {x} | {u} |");
        }
        let _ = writeln!(
            o,
            "\n## Coverage (observed: calls made by cases passing on every backend: {})\n",
            self.coverage.backends.join(", ")
        );
        let _ = writeln!(o, "| ABI | hostcalls | callbacks |\n|---|---|---|");
        for v in &self.coverage.versions {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                v.version,
                v.hostcalls.fraction(),
                v.callbacks.fraction()
            );
        }
        let rules = &self.coverage.rules;
        let _ = writeln!(
            o,
            "\nRules: {}, {} marked untestable.",
            rules.fraction(),
            self.coverage.untestable.len()
        );
        for v in &self.coverage.versions {
            if !v.hostcalls.missing.is_empty() {
                let _ = writeln!(
                    o,
                    "\nHostcalls without a passing case in {}: {}.",
                    v.version,
                    v.hostcalls.missing.join(", ")
                );
            }
            if !v.callbacks.missing.is_empty() {
                let _ = writeln!(
                    o,
                    "\nCallbacks without a passing case in {}: {}.",
                    v.version,
                    v.callbacks.missing.join(", ")
                );
            }
        }
        if !rules.missing.is_empty() {
            let _ = writeln!(o, "\nRules without a passing case: {}.", rules.missing.join(", "));
        }
        let _ = writeln!(o, "\n## Matrix\n");
        let header: Vec<String> = columns.iter().map(|(b, v)| format!("{b} {v}")).collect();
        let _ = writeln!(o, "| case | rules | {} |", header.join(" | "));
        let _ = writeln!(o, "|---|---|{}", "---|".repeat(columns.len()));
        for case in &self.suite.cases {
            let cells: Vec<&str> = columns
                .iter()
                .map(|(b, v)| self.outcome(&case.id(), b, *v).map_or(" ", |r| symbol(r.outcome)))
                .collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                case.id(),
                case.header.rules.join(" "),
                cells.join(" | ")
            );
        }
        let notes: Vec<&TrialResult> = self
            .results
            .iter()
            .filter(|r| !matches!(r.outcome, Outcome::Pass | Outcome::Skip))
            .collect();
        if !notes.is_empty() {
            let _ = writeln!(o, "\n## Failures and divergences\n");
            for r in notes {
                let _ = writeln!(
                    o,
                    "- `{}` on {} {}: {}: {}",
                    r.case,
                    r.backend,
                    r.abi,
                    r.outcome.name(),
                    r.detail
                );
            }
        }
        o
    }

    pub fn json(&self) -> Value {
        let tally = |t: BTreeMap<String, [usize; 4]>| -> Value {
            t.into_iter()
                .map(|(k, [p, f, x, u])| {
                    (
                        k,
                        json!({"pass": p, "fail": f, "expected_fail": x, "unexpected_pass": u}),
                    )
                })
                .collect::<serde_json::Map<_, _>>()
                .into()
        };
        // Durations vary from run to run; a report keeps only what a diff should show.
        let results: Vec<Value> = self
            .results
            .iter()
            .map(|r| {
                json!({"case": r.case, "area": r.area, "backend": r.backend, "abi": r.abi,
                       "outcome": r.outcome, "detail": r.detail, "rules": r.rules, "hostcalls": r.hostcalls})
            })
            .collect();
        json!({
            "generated": self.generated,
            "commit": self.commit,
            "engines": self.engines.iter().map(|(b, v)| json!({"backend": b, "engine_version": v})).collect::<Vec<_>>(),
            "by_backend": tally(self.tally(|r| r.backend.clone())),
            "by_area": tally(self.tally(|r| r.area.clone())),
            "coverage": self.coverage,
            "results": results,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pwconf_suite::TrialResult;

    fn result(case: &str, backend: &str, outcome: Outcome, duration_us: u128) -> TrialResult {
        TrialResult {
            case: case.to_string(),
            area: "lifecycle".to_string(),
            backend: backend.to_string(),
            abi: AbiVersion::V0_2_1,
            outcome,
            detail: if outcome == Outcome::Pass {
                String::new()
            } else {
                "why <it> failed".to_string()
            },
            rules: vec!["R1".to_string()],
            hostcalls: Vec::new(),
            duration_us,
            statuses: Default::default(),
            observed: Default::default(),
        }
    }

    #[test]
    fn reports_are_reproducible_self_contained_and_show_failures() {
        let suite = Suite {
            root: std::path::PathBuf::from("conformance"),
            cases: Vec::new(),
            divergences: Vec::new(),
        };
        let make = |d| {
            vec![
                result("lifecycle/a", "wasmi", Outcome::Pass, d),
                result("lifecycle/a", "wasmer", Outcome::Fail, d),
            ]
        };
        let (first, second) = (make(10), make(99));
        let coverage = pwconf_suite::coverage(&suite, &first);
        let render = |results: &[TrialResult]| {
            let engines = [("wasmi".to_string(), "0.51.0".to_string())];
            let c = Compat {
                suite: &suite,
                results,
                coverage: &coverage,
                generated: "2026-01-01",
                commit: "0123456789ab",
                engines: &engines,
            };
            (c.markdown(), c.json().to_string(), c.html())
        };
        let (md1, json1, html1) = render(&first);
        let (md2, json2, html2) = render(&second);
        assert_eq!(
            (&md1, &json1),
            (&md2, &json2),
            "durations must not change the Markdown and JSON reports"
        );
        assert_ne!(html1, html2, "the page's hover shows each trial's duration");
        assert!(md1.contains("Generated 2026-01-01 at commit 0123456789ab on wasmi 0.51.0."));
        assert!(md1.contains("| wasmer | 0 | 1 | 0 | 0 |"), "{md1}");
        assert!(
            md1.contains("`lifecycle/a` on wasmer 0.2.1: fail: why <it> failed"),
            "{md1}"
        );
        assert!(html1.contains("why &lt;it&gt; failed"), "HTML escapes details");
        assert!(
            !html1.contains("http://") && !html1.contains("https://") && !html1.contains("<script src"),
            "self-contained"
        );
        assert_eq!(
            md1.lines().filter(|l| l.contains("2026-01-01")).count(),
            1,
            "the date is in one line only"
        );
    }
}
