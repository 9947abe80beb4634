//! The compatibility report: the matrix case × backend × ABI with outcomes and divergence
//! reasons, summaries per area and per backend, and coverage, as Markdown, JSON and a
//! self-contained HTML page. Output is reproducible: stable order, and the date only in
//! the header line, so a diff of two reports shows real changes.
//!
//! One job: render results. Neighbours: it reads trial results from `pwconf-suite` and the
//! ABI from `pwconf-abi`; the CLI writes what it renders.

pub mod perf;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pwconf_abi::AbiVersion;
use pwconf_suite::{Coverage, Outcome, Suite, TrialResult};
use serde_json::{Value, json};

pub mod sdk;

/// Everything a report is made of.
pub struct Compat<'a> {
    pub suite: &'a Suite,
    pub results: &'a [TrialResult],
    pub coverage: &'a Coverage,
    /// The header line's date (the only line that changes between identical runs).
    pub generated: &'a str,
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
        let _ = writeln!(
            o,
            "# pwconf compatibility report\n\nGenerated {}.\n",
            self.generated
        );
        let columns = self.columns();
        let _ = writeln!(
            o,
            "## Summary by backend\n\n| backend | pass | fail | expected-fail | unexpected-pass |\n|---|---:|---:|---:|---:|"
        );
        for (b, [p, f, x, u]) in self.tally(|r| r.backend.clone()) {
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
            "\n## Coverage (cases passing on every backend: {})\n",
            self.coverage.backends.join(", ")
        );
        let _ = writeln!(o, "| ABI | hostcalls | callbacks |\n|---|---|---|");
        for v in &self.coverage.versions {
            let _ = writeln!(
                o,
                "| {} | {}/{} ({:.0}%) | {}/{} ({:.0}%) |",
                v.version,
                v.hostcalls.covered.len(),
                v.hostcalls.covered.len() + v.hostcalls.missing.len(),
                v.hostcalls.percent(),
                v.callbacks.covered.len(),
                v.callbacks.covered.len() + v.callbacks.missing.len(),
                v.callbacks.percent()
            );
        }
        let rules = &self.coverage.rules;
        let _ = writeln!(
            o,
            "\nRules: {}/{} ({:.0}%), {} marked untestable.",
            rules.covered.len(),
            rules.covered.len() + rules.missing.len(),
            rules.percent(),
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
            "by_backend": tally(self.tally(|r| r.backend.clone())),
            "by_area": tally(self.tally(|r| r.area.clone())),
            "coverage": self.coverage,
            "results": results,
        })
    }

    pub fn html(&self) -> String {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        let columns = self.columns();
        let mut o = String::new();
        let _ = write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pwconf compatibility report</title>\n<style>\n\
             body{{font-family:sans-serif;margin:2em;color:#222}} table{{border-collapse:collapse;margin:1em 0}}\n\
             th,td{{border:1px solid #ccc;padding:.25em .5em;text-align:center}} td.case{{text-align:left;font-family:monospace}}\n\
             .pass{{background:#d9f2d9}} .FAIL,.XPASS{{background:#f7c6c6;font-weight:bold}} .xfail{{background:#fcefc7}}\n\
             </style></head><body>\n<h1>pwconf compatibility report</h1>\n<p id=\"generated\">Generated {}.</p>\n",
            esc(self.generated)
        );
        let _ = writeln!(
            o,
            "<h2>Summary by backend</h2><table id=\"by-backend\"><tr><th>backend</th><th>pass</th><th>fail</th><th>expected-fail</th><th>unexpected-pass</th></tr>"
        );
        for (b, [p, f, x, u]) in self.tally(|r| r.backend.clone()) {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{p}</td><td>{f}</td><td>{x}</td><td>{u}</td></tr>",
                esc(&b)
            );
        }
        let _ = writeln!(
            o,
            "</table><h2>Coverage</h2><table id=\"coverage\"><tr><th>ABI</th><th>hostcalls</th><th>callbacks</th></tr>"
        );
        for v in &self.coverage.versions {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{:.0}%</td><td>{:.0}%</td></tr>",
                v.version,
                v.hostcalls.percent(),
                v.callbacks.percent()
            );
        }
        let _ = writeln!(o, "</table><p>Rules: {:.0}%</p>", self.coverage.rules.percent());
        let _ = writeln!(
            o,
            "<h2>Matrix</h2><table id=\"matrix\"><tr><th>case</th><th>rules</th>"
        );
        for (b, v) in &columns {
            let _ = write!(o, "<th>{} {}</th>", esc(b), v);
        }
        let _ = writeln!(o, "</tr>");
        for case in &self.suite.cases {
            let _ = write!(
                o,
                "<tr><td class=\"case\">{}</td><td>{}</td>",
                esc(&case.id()),
                esc(&case.header.rules.join(" "))
            );
            for (b, v) in &columns {
                match self.outcome(&case.id(), b, *v) {
                    Some(r) => {
                        let s = symbol(r.outcome);
                        let _ = write!(o, "<td class=\"{s}\" title=\"{}\">{s}</td>", esc(&r.detail));
                    }
                    None => o.push_str("<td></td>"),
                }
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</table>\n");
        let notes: Vec<&TrialResult> = self
            .results
            .iter()
            .filter(|r| !matches!(r.outcome, Outcome::Pass | Outcome::Skip))
            .collect();
        if !notes.is_empty() {
            o.push_str("<h2>Failures and divergences</h2><ul id=\"notes\">\n");
            for r in notes {
                let _ = writeln!(
                    o,
                    "<li><code>{}</code> on {} {}: {}: {}</li>",
                    esc(&r.case),
                    esc(&r.backend),
                    r.abi,
                    r.outcome.name(),
                    esc(&r.detail)
                );
            }
            o.push_str("</ul>\n");
        }
        o.push_str("</body></html>\n");
        o
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
            let c = Compat {
                suite: &suite,
                results,
                coverage: &coverage,
                generated: "2026-01-01",
            };
            (c.markdown(), c.json().to_string(), c.html())
        };
        let (md1, json1, html1) = render(&first);
        let (md2, json2, html2) = render(&second);
        assert_eq!(
            (&md1, &json1, &html1),
            (&md2, &json2, &html2),
            "durations must not change a report"
        );
        assert!(md1.contains("| wasmer | 0 | 1 | 0 | 0 |"), "{md1}");
        assert!(
            md1.contains("`lifecycle/a` on wasmer 0.2.1: fail: why <it> failed"),
            "{md1}"
        );
        assert!(html1.contains("why &lt;it&gt; failed"), "HTML escapes details");
        assert!(
            !html1.contains("http://") && !html1.contains("https://") && !html1.contains("<script"),
            "self-contained"
        );
        assert_eq!(
            md1.lines().filter(|l| l.contains("2026-01-01")).count(),
            1,
            "the date is in one line only"
        );
    }
}
