//! The SDK report: the matrix SDK × version × filter × backend of SDK-built modules run
//! against their filters' scenarios, and what changed since the previous report (read back
//! from its `sdk.json`). Reproducible like the compatibility report: stable order,
//! durations left out, the date only in the header line.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pwconf_suite::Outcome;
use pwconf_suite::sdk::SdkResult;
use serde_json::{Value, json};

/// Everything the SDK report is made of.
pub struct SdkReport<'a> {
    pub results: &'a [SdkResult],
    /// The earlier `sdk.json` this report is compared with, if there is one.
    pub previous: Option<&'a Value>,
    /// Where that earlier report was read from, as given.
    pub baseline: Option<&'a str>,
    /// Where each SDK version's modules came from and what built them.
    pub sources: &'a [SdkSource],
    /// The header line's date.
    pub generated: &'a str,
    /// The commit of the run.
    pub commit: &'a str,
    /// (backend, engine version).
    pub engines: &'a [(String, String)],
}

/// The provenance of one SDK version's modules.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SdkSource {
    pub sdk: String,
    pub version: String,
    /// `crates.io proxy-wasm 0.2.5`, or `checkout DIR at COMMIT` for a local SDK.
    pub source: String,
    /// The toolchain that built the modules, as `scripts/build-guests` recorded it.
    pub toolchain: String,
}

/// A trial whose outcome differs from the previous report's (`None`: absent there / here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub trial: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub detail: String,
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

/// Counts of (pass, fail, expected-fail, unexpected-pass).
fn count(results: &[&SdkResult]) -> [usize; 4] {
    let mut c = [0; 4];
    for r in results {
        match r.outcome {
            Outcome::Pass => c[0] += 1,
            Outcome::Fail => c[1] += 1,
            Outcome::ExpectedFail => c[2] += 1,
            Outcome::UnexpectedPass => c[3] += 1,
            Outcome::Skip => {}
        }
    }
    c
}

fn first_seen<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

impl SdkReport<'_> {
    fn backends(&self) -> Vec<&str> {
        first_seen(self.results.iter().map(|r| r.backend.as_str()))
    }

    /// Modules in the order of the run (versions.tsv order).
    fn modules(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in self.results {
            let m = r.module();
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }

    /// Outcomes by trial name in the previous report.
    fn previous_outcomes(&self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        let Some(results) = self
            .previous
            .and_then(|p| p.get("results"))
            .and_then(Value::as_array)
        else {
            return map;
        };
        for r in results {
            let field = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default();
            let module = format!(
                "{}/{}-{}-{}",
                field("sdk"),
                field("filter"),
                field("version"),
                field("target")
            );
            let name = pwconf_suite::sdk::trial_name(field("backend"), &module, field("scenario"));
            map.insert(name, field("outcome").to_string());
        }
        map
    }

    /// Trials whose outcome changed since the previous report, new ones and gone ones;
    /// empty when there is no previous report.
    pub fn changes(&self) -> Vec<Change> {
        if self.previous.is_none() {
            return Vec::new();
        }
        let mut before = self.previous_outcomes();
        let mut changes = Vec::new();
        for r in self.results {
            let name = r.name();
            let now = r.outcome.name().to_string();
            match before.remove(&name) {
                Some(was) if was == now => {}
                was => changes.push(Change {
                    trial: name,
                    before: was,
                    after: Some(now),
                    detail: r.detail.clone(),
                }),
            }
        }
        for (trial, was) in before {
            changes.push(Change {
                trial,
                before: Some(was),
                after: None,
                detail: String::new(),
            });
        }
        changes
    }

    pub fn markdown(&self) -> String {
        let mut o = String::new();
        let backends = self.backends();
        let modules = self.modules();
        let changes = self.changes();
        let changed: Vec<&str> = changes.iter().map(|c| c.trial.as_str()).collect();
        let engines: Vec<String> = self
            .engines
            .iter()
            .map(|(name, version)| format!("{name} {version}"))
            .collect();
        let _ = writeln!(
            o,
            "# pwconf SDK report\n\nGenerated {} at commit {} on {}.\n",
            self.generated,
            self.commit,
            engines.join(", ")
        );
        let _ = writeln!(
            o,
            "Modules built with real Proxy-Wasm SDKs (`conformance/sdk/versions.tsv`), each run \
             against its filter's scenarios on every backend: {} modules, {} trials.\n",
            modules.len(),
            self.results.len()
        );
        let _ = writeln!(
            o,
            "## Summary by backend\n\n| backend | pass | fail | expected-fail | unexpected-pass |\n|---|---:|---:|---:|---:|"
        );
        for b in &backends {
            let rs: Vec<&SdkResult> = self.results.iter().filter(|r| r.backend == *b).collect();
            let [p, f, x, u] = count(&rs);
            let _ = writeln!(o, "| {b} | {p} | {f} | {x} | {u} |");
        }
        let _ = writeln!(
            o,
            "\n## Summary by SDK version\n\n| sdk | version | ABI | modules | pass | fail | expected-fail | unexpected-pass |\n|---|---|---|---:|---:|---:|---:|---:|"
        );
        let versions = first_seen(self.results.iter().map(|r| r.sdk.as_str()))
            .into_iter()
            .flat_map(|sdk| {
                first_seen(
                    self.results
                        .iter()
                        .filter(move |r| r.sdk == sdk)
                        .map(|r| r.version.as_str()),
                )
                .into_iter()
                .map(move |v| (sdk, v))
            })
            .collect::<Vec<_>>();
        for (sdk, version) in &versions {
            let rs: Vec<&SdkResult> = self
                .results
                .iter()
                .filter(|r| r.sdk == *sdk && r.version == *version)
                .collect();
            let abis = first_seen(rs.iter().map(|r| r.abi.map_or("?", |a| a.as_str())));
            let built = rs.iter().any(|r| r.outcome != Outcome::Skip);
            let n = usize::from(built)
                * first_seen(rs.iter().map(|r| r.filter.as_str())).len()
                * first_seen(rs.iter().map(|r| r.target.as_str())).len();
            let [p, f, x, u] = count(&rs);
            let _ = writeln!(
                o,
                "| {sdk} | {version} | {} | {n} | {p} | {f} | {x} | {u} |",
                abis.join(", ")
            );
        }
        if !self.sources.is_empty() {
            let _ = writeln!(
                o,
                "\n## Sources and toolchains\n\n| sdk | version | source | toolchain |\n|---|---|---|---|"
            );
            for src in self.sources {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} |",
                    src.sdk, src.version, src.source, src.toolchain
                );
            }
        }
        // Releases versions.tsv lists as `unbuildable: <reason>`: one skipped trial each, so
        // that the gap shows with its reason rather than being absent.
        let mut unbuilt: Vec<String> = Vec::new();
        for r in self.results.iter().filter(|r| r.outcome == Outcome::Skip) {
            let line = format!("- {} {} ({}): {}", r.sdk, r.version, r.target, r.detail);
            if !unbuilt.contains(&line) {
                unbuilt.push(line);
            }
        }
        if !unbuilt.is_empty() {
            let _ = writeln!(
                o,
                "\nListed but not buildable here (0 modules above):\n\n{}",
                unbuilt.join("\n")
            );
        }
        crate::sdk_compare::markdown(&mut o, self.results);
        let _ = writeln!(o, "\n## Changes since the baseline\n");
        match self.previous {
            None => {
                let _ = writeln!(o, "No baseline report to compare with.");
            }
            Some(prev) => {
                let when = prev.get("generated").and_then(Value::as_str).unwrap_or("?");
                let name = self.baseline.unwrap_or("the previous report");
                if changes.is_empty() {
                    let _ = writeln!(o, "None since `{name}` of {when}.");
                } else {
                    let _ = writeln!(o, "Against `{name}` of {when}:\n");
                    for c in &changes {
                        let _ = writeln!(
                            o,
                            "- `{}`: {} → {}{}",
                            c.trial,
                            c.before.as_deref().unwrap_or("(new)"),
                            c.after.as_deref().unwrap_or("(gone)"),
                            if c.detail.is_empty() {
                                String::new()
                            } else {
                                format!(": {}", c.detail)
                            }
                        );
                    }
                }
            }
        }
        let _ = writeln!(
            o,
            "\n## Matrix\n\nEach cell: the outcomes of the module's scenarios on that backend. \
             **changed** marks a cell with an outcome that differs from the previous report.\n"
        );
        for sdk in first_seen(self.results.iter().map(|r| r.sdk.as_str())) {
            let _ = writeln!(o, "### {sdk}\n");
            let _ = writeln!(
                o,
                "| filter | version | target | ABI | scenarios | {} |",
                backends.join(" | ")
            );
            let _ = writeln!(o, "|---|---|---|---|---|{}", "---|".repeat(backends.len()));
            for module in &modules {
                let rs: Vec<&SdkResult> = self
                    .results
                    .iter()
                    .filter(|r| r.sdk == sdk && r.module() == *module)
                    .collect();
                let Some(first) = rs.first() else {
                    continue;
                };
                let cells: Vec<String> = backends
                    .iter()
                    .map(|b| {
                        let cell: Vec<&SdkResult> = rs.iter().copied().filter(|r| r.backend == *b).collect();
                        let mut text = cell_text(&cell);
                        if cell.iter().any(|r| changed.contains(&r.name().as_str())) {
                            text.push_str(" **changed**");
                        }
                        text
                    })
                    .collect();
                let scenarios = first_seen(rs.iter().map(|r| r.scenario.as_str()));
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} | {} |",
                    first.filter,
                    first.version,
                    first.target,
                    first.abi.map_or("?", |a| a.as_str()),
                    scenarios.join(", "),
                    cells.join(" | ")
                );
            }
            o.push('\n');
        }
        let groups = crate::sdk_compare::failure_groups(self.results);
        if !groups.is_empty() {
            let _ = writeln!(
                o,
                "## Failures and divergences\n\nEach reason once, with the trials (module::scenario) and backends it hit.\n"
            );
            for g in groups {
                let _ = writeln!(o, "- {}: {}", g.outcome.name(), g.detail);
                for (trial, backends) in &g.trials {
                    let _ = writeln!(o, "  - `{trial}` on {}", backends.join(", "));
                }
            }
        }
        o
    }

    pub fn json(&self) -> Value {
        let backends = self.backends();
        let by_backend: serde_json::Map<String, Value> = backends
            .iter()
            .map(|b| {
                let rs: Vec<&SdkResult> = self.results.iter().filter(|r| r.backend == *b).collect();
                let [p, f, x, u] = count(&rs);
                (
                    b.to_string(),
                    json!({"pass": p, "fail": f, "expected_fail": x, "unexpected_pass": u}),
                )
            })
            .collect();
        // Durations vary from run to run; a report keeps only what a diff should show.
        let results: Vec<Value> = self
            .results
            .iter()
            .map(|r| {
                json!({"sdk": r.sdk, "filter": r.filter, "version": r.version, "target": r.target,
                       "abi": r.abi, "scenario": r.scenario, "backend": r.backend,
                       "outcome": r.outcome, "detail": r.detail})
            })
            .collect();
        let changes: Vec<Value> = self
            .changes()
            .into_iter()
            .map(|c| json!({"trial": c.trial, "before": c.before, "after": c.after, "detail": c.detail}))
            .collect();
        json!({
            "generated": self.generated,
            "commit": self.commit,
            "engines": self.engines.iter().map(|(b, v)| json!({"backend": b, "engine_version": v})).collect::<Vec<_>>(),
            "baseline": self.baseline.map(|name| json!({
                "file": name,
                "generated": self.previous.and_then(|p| p.get("generated")).cloned(),
            })),
            "sources": self.sources,
            "against_previous_release": crate::sdk_compare::json(self.results),
            "modules": self.modules(),
            "by_backend": by_backend,
            "changes": changes,
            "results": results,
        })
    }
}

/// `pass 3/3`, or the counts of each outcome when they differ (`FAIL 1, pass 2`).
fn cell_text(cell: &[&SdkResult]) -> String {
    if cell.is_empty() {
        return " ".to_string();
    }
    let [p, f, x, u] = count(cell);
    if p == cell.len() {
        return format!("pass {p}/{p}");
    }
    if cell.iter().all(|r| r.outcome == Outcome::Skip) {
        return "not built".to_string();
    }
    let named = |outcome: Outcome| -> Vec<&str> {
        cell.iter()
            .filter(|r| r.outcome == outcome)
            .map(|r| r.scenario.as_str())
            .collect()
    };
    let mut parts: Vec<String> = Vec::new();
    for (outcome, n) in [
        (Outcome::Fail, f),
        (Outcome::UnexpectedPass, u),
        (Outcome::ExpectedFail, x),
    ] {
        if n > 0 {
            parts.push(format!("{} {}", symbol(outcome), named(outcome).join(", ")));
        }
    }
    if p > 0 {
        parts.push(format!("pass {p}"));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use pwconf_abi::AbiVersion;

    fn result(version: &str, backend: &str, outcome: Outcome) -> SdkResult {
        SdkResult {
            sdk: "rust".to_string(),
            filter: "headers".to_string(),
            version: version.to_string(),
            target: "wasm32-unknown-unknown".to_string(),
            abi: Some(AbiVersion::V0_2_1),
            scenario: "adds".to_string(),
            backend: backend.to_string(),
            outcome,
            detail: if outcome == Outcome::Pass {
                String::new()
            } else {
                "header missing".to_string()
            },
            duration_us: 7,
        }
    }

    #[test]
    fn an_unbuildable_release_shows_with_its_reason() {
        let unbuilt = SdkResult {
            sdk: "go-tetratelabs".to_string(),
            filter: "all".to_string(),
            abi: None,
            detail: "not buildable here: needs TinyGo".to_string(),
            ..result("v0.24.0", "wasmi", Outcome::Skip)
        };
        let results = vec![result("0.2.5", "wasmi", Outcome::Pass), unbuilt];
        let md = SdkReport {
            results: &results,
            previous: None,
            baseline: None,
            sources: &[],
            generated: "2026-01-01",
            commit: "abc",
            engines: &[],
        }
        .markdown();
        assert!(
            md.contains("| go-tetratelabs | v0.24.0 | ? | 0 | 0 | 0 | 0 | 0 |"),
            "{md}"
        );
        assert!(
            md.contains(
                "- go-tetratelabs v0.24.0 (wasm32-unknown-unknown): not buildable here: needs TinyGo"
            ),
            "{md}"
        );
        assert!(
            md.contains("| all | v0.24.0 | wasm32-unknown-unknown | ? | adds | not built |"),
            "{md}"
        );
        assert!(!md.contains("## Failures and divergences"), "{md}");
    }

    #[test]
    fn a_changed_outcome_is_marked_and_listed() {
        let before = vec![
            result("0.2.5", "wasmi", Outcome::Pass),
            result("0.2.5", "wasmer", Outcome::Pass),
            result("0.2.4", "wasmi", Outcome::Pass),
        ];
        let first = SdkReport {
            results: &before,
            previous: None,
            baseline: None,
            sources: &[],
            generated: "2026-01-01",
            commit: "abc",
            engines: &[],
        };
        assert!(first.changes().is_empty());
        assert!(first.markdown().contains("No baseline report"));
        let previous = first.json();

        let mut after = before.clone();
        after[0] = result("0.2.5", "wasmi", Outcome::Fail);
        after[2] = result("0.2.6", "wasmi", Outcome::Pass);
        let second = SdkReport {
            results: &after,
            previous: Some(&previous),
            baseline: Some("reports/sdk.json"),
            sources: &[],
            generated: "2026-01-02",
            commit: "abc",
            engines: &[],
        };
        let changes = second.changes();
        let summary: Vec<(&str, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| (c.trial.as_str(), c.before.as_deref(), c.after.as_deref()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "wasmi::sdk::rust/headers-0.2.5-wasm32-unknown-unknown::adds",
                    Some("pass"),
                    Some("fail")
                ),
                (
                    "wasmi::sdk::rust/headers-0.2.6-wasm32-unknown-unknown::adds",
                    None,
                    Some("pass")
                ),
                (
                    "wasmi::sdk::rust/headers-0.2.4-wasm32-unknown-unknown::adds",
                    Some("pass"),
                    None
                ),
            ]
        );
        let md = second.markdown();
        assert!(
            md.contains(
                "| headers | 0.2.5 | wasm32-unknown-unknown | 0.2.1 | adds | FAIL adds **changed** | pass 1/1 |"
            ),
            "{md}"
        );
        assert!(md.contains("pass → fail: header missing"), "{md}");
        assert!(
            md.contains("(new) → pass") && md.contains("pass → (gone)"),
            "{md}"
        );

        // The same state twice: no change, and identical reports but for the date.
        let again = SdkReport {
            results: &after,
            previous: Some(&second.json()),
            baseline: Some("reports/sdk.json"),
            sources: &[],
            generated: "2026-01-02",
            commit: "abc",
            engines: &[],
        };
        assert!(again.changes().is_empty());
        let mut slower = after.clone();
        slower.iter_mut().for_each(|r| r.duration_us = 99);
        let same = SdkReport {
            results: &slower,
            previous: Some(&second.json()),
            baseline: Some("reports/sdk.json"),
            sources: &[],
            generated: "2026-01-02",
            commit: "abc",
            engines: &[],
        };
        assert_eq!(
            again.markdown(),
            same.markdown(),
            "durations must not change a report"
        );
        assert_eq!(again.json(), same.json());
    }
}
