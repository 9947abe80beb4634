//! Coverage of `spec/` by the suite: which hostcalls, callbacks and rules have a case
//! passing on every backend, from what the passing runs observed ([`crate::coverage`]).

use std::collections::BTreeSet;

use pwconf_abi::{AbiVersion, Spec};
use serde::Serialize;

use crate::coverage::Observed;
use crate::{Case, Outcome, Suite, TrialResult};

/// Coverage of one kind of ABI name (hostcalls, callbacks or rules); its JSON form also
/// gives the `percent`.
#[derive(Debug, Clone, Default)]
pub struct Covered {
    pub covered: Vec<String>,
    pub missing: Vec<String>,
}

impl Serialize for Covered {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Covered", 3)?;
        out.serialize_field("percent", &self.percent())?;
        out.serialize_field("covered", &self.covered)?;
        out.serialize_field("missing", &self.missing)?;
        out.end()
    }
}

impl Covered {
    pub fn percent(&self) -> f64 {
        let total = self.covered.len() + self.missing.len();
        if total == 0 {
            100.0
        } else {
            100.0 * self.covered.len() as f64 / total as f64
        }
    }

    /// `covered/total (percent%)`, as every report writes it.
    pub fn fraction(&self) -> String {
        format!(
            "{}/{} ({:.0}%)",
            self.covered.len(),
            self.covered.len() + self.missing.len(),
            self.percent()
        )
    }
}

/// What one ABI version's cases cover.
#[derive(Debug, Clone, Serialize)]
pub struct VersionCoverage {
    pub version: AbiVersion,
    pub hostcalls: Covered,
    pub callbacks: Covered,
    /// `hostcall:STATUS` for every status `spec/` documents for the version's hostcalls:
    /// covered when a case passing on every backend saw the hostcall answer it.
    pub statuses: Covered,
}

/// Coverage of `spec/` by cases that pass on every backend of the run.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub backends: Vec<String>,
    pub versions: Vec<VersionCoverage>,
    pub rules: Covered,
    /// Rules `spec/` marks untestable here, with the reason.
    pub untestable: Vec<(String, String)>,
}

/// The coverage a run on `backends` gives when every trial ends as its case says: passing,
/// or failing where `divergences.yaml` expects it, having made every call the case lists.
/// With the conformance tests (which hold every trial to both), this is the observed
/// coverage the suite enforces without running it twice.
pub fn declared_coverage(suite: &Suite, backends: &[&str]) -> Coverage {
    let mut results = Vec::new();
    for case in &suite.cases {
        for abi in &case.header.abi {
            for backend in backends {
                let outcome = match suite.divergence(case, backend, *abi) {
                    Some(_) => Outcome::ExpectedFail,
                    None => Outcome::Pass,
                };
                results.push(TrialResult {
                    case: case.id(),
                    area: case.area.clone(),
                    backend: (*backend).to_string(),
                    abi: *abi,
                    outcome,
                    detail: String::new(),
                    rules: case.header.rules.clone(),
                    hostcalls: case.header.hostcalls.clone(),
                    duration_us: 0,
                    statuses: BTreeSet::new(),
                    observed: Observed::listed(&case.header, &case.scenario),
                });
            }
        }
    }
    coverage(suite, &results)
}

/// The gaps of a coverage, one line each naming what lacks a case: empty at 100%.
pub fn coverage_gaps(coverage: &Coverage) -> Vec<String> {
    let mut gaps = Vec::new();
    for v in &coverage.versions {
        for name in &v.hostcalls.missing {
            gaps.push(format!(
                "ABI {}: hostcall {name} has no case passing on every backend",
                v.version
            ));
        }
        for name in &v.callbacks.missing {
            gaps.push(format!(
                "ABI {}: callback {name} has no case passing on every backend",
                v.version
            ));
        }
    }
    for id in &coverage.rules.missing {
        gaps.push(format!(
            "rule {id} has no passing case that made one of its hostcalls or callbacks, and no `untestable:` reason in spec/rules.yaml"
        ));
    }
    gaps
}

/// Which hostcalls, callbacks and rules have at least one case passing on every backend
/// of `results` (under a version, for hostcalls and callbacks); spec names only. Observed:
/// a hostcall or callback counts for a case only when the case lists it and every one of
/// those passing runs made the call; a rule naming hostcalls or callbacks needs a case
/// whose passing runs all made one of them (see [`coverage`](mod@coverage)).
pub fn coverage(suite: &Suite, results: &[TrialResult]) -> Coverage {
    let spec = Spec::embedded();
    let backends: BTreeSet<&str> = results.iter().map(|r| r.backend.as_str()).collect();
    // (case, abi) pairs that passed on every backend
    let passing = |case: &Case, abi: AbiVersion| {
        !backends.is_empty()
            && backends.iter().all(|b| {
                results.iter().any(|r| {
                    r.case == case.id() && r.abi == abi && r.backend == *b && r.outcome == Outcome::Pass
                })
            })
    };
    // the calls every backend's run of (case, abi) made
    let observed = |case: &Case, abi: AbiVersion| {
        Observed::common(
            results
                .iter()
                .filter(|r| r.case == case.id() && r.abi == abi)
                .map(|r| &r.observed),
        )
    };
    let mut versions = Vec::new();
    for abi in AbiVersion::ALL {
        let good: Vec<(&Case, Observed)> = suite
            .cases
            .iter()
            .filter(|c| passing(c, abi))
            .map(|c| (c, observed(c, abi)))
            .collect();
        let mut hostcalls = Covered::default();
        for h in spec
            .hostcalls_for(abi)
            .filter(|h| h.origin == pwconf_abi::spec::Origin::Spec)
        {
            let list = if good
                .iter()
                .any(|(c, o)| c.header.hostcalls.contains(&h.name) && o.hostcalls.contains(&h.name))
            {
                &mut hostcalls.covered
            } else {
                &mut hostcalls.missing
            };
            list.push(h.name.clone());
        }
        let mut callbacks = Covered::default();
        for cb in spec.callbacks_for(abi).filter(|c| {
            c.origin == pwconf_abi::spec::Origin::Spec && c.kind == pwconf_abi::spec::CallbackKind::Event
        }) {
            let list = if good
                .iter()
                .any(|(c, o)| c.header.callbacks.contains(&cb.name) && o.callbacks.contains(&cb.name))
            {
                &mut callbacks.covered
            } else {
                &mut callbacks.missing
            };
            list.push(cb.name.clone());
        }
        // statuses seen in trials of cases that passed everywhere under this version
        let seen: BTreeSet<&String> = results
            .iter()
            .filter(|r| r.abi == abi && good.iter().any(|(c, _)| c.id() == r.case))
            .flat_map(|r| &r.statuses)
            .collect();
        let mut statuses = Covered::default();
        for h in spec
            .hostcalls_for(abi)
            .filter(|h| h.origin == pwconf_abi::spec::Origin::Spec)
        {
            for status in &h.statuses {
                let item = format!("{}:{status}", h.name);
                let list = if seen.contains(&item) {
                    &mut statuses.covered
                } else {
                    &mut statuses.missing
                };
                list.push(item);
            }
        }
        versions.push(VersionCoverage {
            version: abi,
            hostcalls,
            callbacks,
            statuses,
        });
    }
    let mut rules = Covered::default();
    let mut untestable = Vec::new();
    for rule in &spec.rules {
        if let Some(why) = &rule.untestable {
            untestable.push((rule.id.clone(), why.clone()));
            continue;
        }
        let covered = suite.cases.iter().any(|c| {
            c.header.rules.contains(&rule.id)
                && c.header
                    .abi
                    .iter()
                    .any(|abi| passing(c, *abi) && observed(c, *abi).meets(rule))
        });
        if covered {
            rules.covered.push(rule.id.clone());
        } else {
            rules.missing.push(rule.id.clone());
        }
    }
    Coverage {
        backends: backends.into_iter().map(str::to_string).collect(),
        versions,
        rules,
        untestable,
    }
}
