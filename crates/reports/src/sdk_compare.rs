//! Reading an SDK run as its maintainers do: each SDK version against the release before
//! it (a local checkout against the SDK's last release), and each failure reason once with
//! the trials and backends it hit.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pwconf_abi::AbiVersion;
use pwconf_suite::Outcome;
use pwconf_suite::sdk::SdkResult;
use serde_json::{Value, json};

/// A trial independent of the SDK version: filter, target, scenario, backend.
type Key = (String, String, String, String);

fn key(r: &SdkResult) -> Key {
    (
        r.filter.clone(),
        r.target.clone(),
        r.scenario.clone(),
        r.backend.clone(),
    )
}

/// One trial whose outcome differs between a version and the one before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionChange {
    /// `<filter>-<target>::<scenario>`.
    pub trial: String,
    pub backend: String,
    pub before: Option<Outcome>,
    pub after: Option<Outcome>,
    pub detail: String,
}

/// One SDK version compared with the release before it.
#[derive(Debug, Clone)]
pub struct VersionComparison {
    pub sdk: String,
    pub version: String,
    pub against: String,
    pub same: usize,
    /// Failing before, passing now.
    pub fixed: usize,
    /// Passing (or expected to fail) before, failing now.
    pub broken: usize,
    /// Not in the previous version (a new target, say).
    pub new: usize,
    /// In the previous version only.
    pub gone: usize,
    pub changes: Vec<VersionChange>,
}

fn good(o: Outcome) -> bool {
    !o.is_failure() && o != Outcome::ExpectedFail
}

/// Every SDK version after the first of its SDK, against the one before it in the run's
/// order (`versions.tsv` order, local checkouts last).
pub fn against_previous(results: &[SdkResult]) -> Vec<VersionComparison> {
    let mut order: Vec<(String, String)> = Vec::new();
    for r in results {
        let pair = (r.sdk.clone(), r.version.clone());
        if !order.contains(&pair) {
            order.push(pair);
        }
    }
    let outcomes = |sdk: &str, version: &str| -> BTreeMap<Key, &SdkResult> {
        results
            .iter()
            .filter(|r| r.sdk == sdk && r.version == version)
            .map(|r| (key(r), r))
            .collect()
    };
    let mut out = Vec::new();
    for (i, (sdk, version)) in order.iter().enumerate() {
        // A local checkout is compared with the last release, not with another checkout.
        let Some((_, previous)) = order[..i]
            .iter()
            .rev()
            .find(|(s, v)| s == sdk && v != pwconf_suite::sdk::LOCAL_VERSION)
        else {
            continue;
        };
        let mut before = outcomes(sdk, previous);
        let now = outcomes(sdk, version);
        let mut c = VersionComparison {
            sdk: sdk.clone(),
            version: version.clone(),
            against: previous.clone(),
            same: 0,
            fixed: 0,
            broken: 0,
            new: 0,
            gone: 0,
            changes: Vec::new(),
        };
        for (k, r) in &now {
            let trial = format!("{}-{}::{}", k.0, k.1, k.2);
            match before.remove(k) {
                Some(was) if was.outcome == r.outcome => c.same += 1,
                Some(was) => {
                    if good(r.outcome) && !good(was.outcome) {
                        c.fixed += 1;
                    } else if !good(r.outcome) {
                        c.broken += 1;
                    } else {
                        c.same += 1;
                        continue;
                    }
                    c.changes.push(VersionChange {
                        trial,
                        backend: k.3.clone(),
                        before: Some(was.outcome),
                        after: Some(r.outcome),
                        detail: r.detail.clone(),
                    });
                }
                None => c.new += 1,
            }
        }
        c.gone = before.len();
        out.push(c);
    }
    out
}

/// The comparison section of `sdk.md`.
pub fn markdown(o: &mut String, results: &[SdkResult]) {
    let comparisons = against_previous(results);
    if comparisons.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\n## Each version against the previous release\n\n\
         The same filter, target, scenario and backend under both versions; a local checkout \
         is compared with the SDK's last release.\n\n\
         | sdk | version | against | same | fixed | broken | new | gone |\n|---|---|---|---:|---:|---:|---:|---:|"
    );
    for c in &comparisons {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            c.sdk, c.version, c.against, c.same, c.fixed, c.broken, c.new, c.gone
        );
    }
    for c in comparisons.iter().filter(|c| !c.changes.is_empty()) {
        let _ = writeln!(o, "\n{} {} against {}:\n", c.sdk, c.version, c.against);
        for ch in &c.changes {
            let _ = writeln!(
                o,
                "- `{}` on {}: {} → {}{}",
                ch.trial,
                ch.backend,
                ch.before.map_or("(new)", |x| x.name()),
                ch.after.map_or("(gone)", |x| x.name()),
                if ch.detail.is_empty() {
                    String::new()
                } else {
                    format!(": {}", ch.detail)
                }
            );
        }
    }
}

/// The comparison in `sdk.json`.
pub fn json(results: &[SdkResult]) -> Value {
    against_previous(results)
        .into_iter()
        .map(|c| {
            let changes: Vec<Value> = c
                .changes
                .iter()
                .map(|ch| {
                    json!({"trial": ch.trial, "backend": ch.backend,
                           "before": ch.before.map(|o| o.name()), "after": ch.after.map(|o| o.name()),
                           "detail": ch.detail})
                })
                .collect();
            json!({"sdk": c.sdk, "version": c.version, "against": c.against, "same": c.same,
                   "fixed": c.fixed, "broken": c.broken, "new": c.new, "gone": c.gone,
                   "changes": changes})
        })
        .collect::<Vec<_>>()
        .into()
}

/// One failure reason with where it hit.
#[derive(Debug, Clone)]
pub struct FailureGroup {
    pub outcome: Outcome,
    pub detail: String,
    /// (`<module>::<scenario>`, backends), in run order.
    pub trials: Vec<(String, Vec<String>)>,
}

/// The failing and divergent trials, one group per (outcome, detail).
pub fn failure_groups(results: &[SdkResult]) -> Vec<FailureGroup> {
    let mut groups: Vec<FailureGroup> = Vec::new();
    for r in results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Pass | Outcome::Skip))
    {
        let index = match groups
            .iter()
            .position(|g| g.outcome == r.outcome && g.detail == r.detail)
        {
            Some(i) => i,
            None => {
                groups.push(FailureGroup {
                    outcome: r.outcome,
                    detail: r.detail.clone(),
                    trials: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let trial = format!("{}::{}", r.module(), r.scenario);
        let trials = &mut groups[index].trials;
        match trials.iter_mut().find(|(t, _)| *t == trial) {
            Some((_, backends)) => backends.push(r.backend.clone()),
            None => trials.push((trial, vec![r.backend.clone()])),
        }
    }
    // Failures first, then unexpected passes, then known divergences.
    groups.sort_by_key(|g| match g.outcome {
        Outcome::Fail => 0,
        Outcome::UnexpectedPass => 1,
        _ => 2,
    });
    groups
}

fn outcome_named(name: &str) -> Option<Outcome> {
    [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::ExpectedFail,
        Outcome::UnexpectedPass,
        Outcome::Skip,
    ]
    .into_iter()
    .find(|o| o.name() == name)
}

/// The results of an earlier `sdk.json` (durations are not kept there: zero).
pub fn results_of(report: &Value) -> Vec<SdkResult> {
    let Some(list) = report.get("results").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|r| {
            let field = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
            Some(SdkResult {
                sdk: field("sdk")?,
                filter: field("filter")?,
                version: field("version")?,
                target: field("target")?,
                abi: field("abi").and_then(|a| a.parse::<AbiVersion>().ok()),
                scenario: field("scenario")?,
                backend: field("backend")?,
                outcome: outcome_named(&field("outcome")?)?,
                detail: field("detail").unwrap_or_default(),
                duration_us: 0,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(version: &str, scenario: &str, backend: &str, outcome: Outcome, detail: &str) -> SdkResult {
        SdkResult {
            sdk: "rust".to_string(),
            filter: "headers".to_string(),
            version: version.to_string(),
            target: "wasm32-unknown-unknown".to_string(),
            abi: Some(AbiVersion::V0_2_1),
            scenario: scenario.to_string(),
            backend: backend.to_string(),
            outcome,
            detail: detail.to_string(),
            duration_us: 1,
        }
    }

    #[test]
    fn each_version_is_compared_with_the_release_before_it_and_local_with_the_last() {
        let results = vec![
            result("0.2.4", "adds", "wasmi", Outcome::Fail, "old bug"),
            result("0.2.4", "keeps", "wasmi", Outcome::Pass, ""),
            result("0.2.5", "adds", "wasmi", Outcome::Pass, ""),
            result("0.2.5", "keeps", "wasmi", Outcome::Pass, ""),
            result("local", "adds", "wasmi", Outcome::Pass, ""),
            result("local", "keeps", "wasmi", Outcome::Fail, "regressed"),
            result("local", "new_one", "wasmi", Outcome::Pass, ""),
        ];
        let c = against_previous(&results);
        let rows: Vec<(&str, &str, usize, usize, usize, usize)> = c
            .iter()
            .map(|c| {
                (
                    c.version.as_str(),
                    c.against.as_str(),
                    c.same,
                    c.fixed,
                    c.broken,
                    c.new,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [("0.2.5", "0.2.4", 1, 1, 0, 0), ("local", "0.2.5", 1, 0, 1, 1)]
        );
        assert_eq!(c[1].changes[0].trial, "headers-wasm32-unknown-unknown::keeps");
        let mut md = String::new();
        markdown(&mut md, &results);
        assert!(
            md.contains("| rust | local | 0.2.5 | 1 | 0 | 1 | 1 | 0 |"),
            "{md}"
        );
        assert!(
            md.contains("`headers-wasm32-unknown-unknown::keeps` on wasmi: pass → fail: regressed"),
            "{md}"
        );
    }

    #[test]
    fn a_reason_is_given_once_with_the_backends_it_hit() {
        let results = vec![
            result("0.2.5", "adds", "wasmtime", Outcome::ExpectedFail, "known"),
            result("0.2.5", "adds", "wasmi", Outcome::ExpectedFail, "known"),
            result("0.2.5", "keeps", "wasmi", Outcome::Fail, "broke"),
        ];
        let groups = failure_groups(&results);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].detail, "broke", "failures first");
        assert_eq!(
            groups[1].trials,
            [(
                "rust/headers-0.2.5-wasm32-unknown-unknown::adds".to_string(),
                vec!["wasmtime".to_string(), "wasmi".to_string()]
            )]
        );
    }
}
