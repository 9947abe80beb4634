//! Observed coverage: what a case covers is what its passing runs did, not what it lists.
//! A trial records the hostcalls and callbacks its trace shows ([`Observed`]); a case that
//! lists a hostcall or callback its run never made fails by name ([`Observed::unobserved`]);
//! and coverage counts a listed hostcall or callback for a case under a version only when
//! the case passed on every backend and every one of those runs made the call.
//!
//! Rules stay declared, but a rule that names hostcalls or callbacks in `spec/rules.yaml`
//! needs a case whose runs dealt with one of them: made the call, had the host refuse it
//! (a load error or start failure naming it: an import that does not link, a callback of
//! the wrong signature), or checked that the host withheld it (`absent_trace`, for rules
//! about what the host must not call).

use std::collections::BTreeSet;

use pwconf_abi::Spec;
use pwconf_scenario::observe::TraceEvent;
use pwconf_scenario::{Check, RunReport, Scenario};

use crate::CaseHeader;

/// What one run did with hostcalls and callbacks, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observed {
    /// Hostcalls the guest called (including calls the host answered with a trap).
    pub hostcalls: BTreeSet<String>,
    /// Callbacks the host made into the guest.
    pub callbacks: BTreeSet<String>,
    /// Hostcalls and callbacks a load error or start failure of the run named.
    pub refused: BTreeSet<String>,
    /// Hostcalls and callbacks the run checked the host did not make (`absent_trace`).
    pub withheld: BTreeSet<String>,
}

impl Observed {
    /// What `report` shows, for a run of `scenario` whose expectations gave `checks`.
    pub fn of(scenario: &Scenario, report: &RunReport, checks: &[Check]) -> Observed {
        let mut out = Observed::default();
        for event in report.trace.iter().flat_map(|t| &t.events) {
            match event {
                TraceEvent::Hostcall { name, .. } => out.hostcalls.insert(name.clone()),
                TraceEvent::Callback { name, .. } => out.callbacks.insert(name.clone()),
            };
        }
        let refusals = checks
            .iter()
            .filter(|c| c.met && c.what == LOAD_REFUSED)
            .map(|c| c.observed.as_str())
            .chain(report.start_failures.iter().map(|f| f.error.as_str()));
        for text in refusals {
            out.refused.extend(abi_names_in(text));
        }
        let met = |name: &String| {
            let what = format!("no {name} in the trace");
            checks.iter().any(|c| c.met && c.what == what)
        };
        out.withheld = scenario
            .expect
            .absent_trace
            .iter()
            .filter(|n| met(n))
            .cloned()
            .collect();
        out
    }

    /// What a case lists as covered, taken as observed: the stand-in for a run that was not
    /// made ([`crate::declared_coverage`]). The conformance trials make it true: a passing
    /// run made every listed call, its load error or start failures contain the expected
    /// text, and its `absent_trace` checks were met.
    pub fn listed(header: &CaseHeader, scenario: &Scenario) -> Observed {
        let expect = &scenario.expect;
        let refusals = expect
            .load_error
            .iter()
            .chain(expect.start_failures.iter().flatten());
        Observed {
            hostcalls: header.hostcalls.iter().cloned().collect(),
            callbacks: header.callbacks.iter().cloned().collect(),
            refused: refusals.flat_map(|t| abi_names_in(t)).collect(),
            withheld: expect.absent_trace.iter().cloned().collect(),
        }
    }

    /// The hostcalls and callbacks `header` lists that this run never made, one line each.
    pub fn unobserved(&self, header: &CaseHeader) -> Vec<String> {
        let hostcalls = header
            .hostcalls
            .iter()
            .filter(|h| !self.hostcalls.contains(*h))
            .map(|h| format!("lists hostcall {h}, which the run never called"));
        let callbacks = header
            .callbacks
            .iter()
            .filter(|c| !self.callbacks.contains(*c))
            .map(|c| format!("lists callback {c}, which the run never called"));
        hostcalls.chain(callbacks).collect()
    }

    /// What every one of `runs` showed (nothing for no runs).
    pub fn common<'a>(mut runs: impl Iterator<Item = &'a Observed>) -> Observed {
        let Some(first) = runs.next() else {
            return Observed::default();
        };
        let both = |a: &BTreeSet<String>, b: &BTreeSet<String>| a.intersection(b).cloned().collect();
        runs.fold(first.clone(), |acc, o| Observed {
            hostcalls: both(&acc.hostcalls, &o.hostcalls),
            callbacks: both(&acc.callbacks, &o.callbacks),
            refused: both(&acc.refused, &o.refused),
            withheld: both(&acc.withheld, &o.withheld),
        })
    }

    /// Whether the run dealt with one of the rule's hostcalls or callbacks (true for a rule
    /// that names none).
    pub fn meets(&self, rule: &pwconf_abi::spec::Rule) -> bool {
        let dealt = |name: &String| self.refused.contains(name) || self.withheld.contains(name);
        (rule.hostcalls.is_empty() && rule.callbacks.is_empty())
            || rule
                .hostcalls
                .iter()
                .any(|h| self.hostcalls.contains(h) || dealt(h))
            || rule
                .callbacks
                .iter()
                .any(|c| self.callbacks.contains(c) || dealt(c))
    }
}

/// What the scenario runner calls the check of an expected load error.
const LOAD_REFUSED: &str = "configuration refused at load";

/// The spec hostcalls and callbacks (of any version) named in `text` as whole words.
fn abi_names_in(text: &str) -> BTreeSet<String> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let spec = Spec::embedded();
    let names = spec
        .hostcalls
        .iter()
        .map(|h| &h.name)
        .chain(spec.callbacks.iter().map(|c| &c.name));
    names
        .filter(|name| {
            text.match_indices(name.as_str()).any(|(at, found)| {
                let before = text[..at].chars().next_back();
                let after = text[at + found.len()..].chars().next();
                !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
            })
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_as_whole_words() {
        let found = abi_names_in("link error: env.proxy_continue_request (proxy_log) not proxy_logger");
        assert!(
            found.contains("proxy_continue_request") && found.contains("proxy_log"),
            "{found:?}"
        );
        assert_eq!(found.len(), 2, "{found:?}");
    }
}
