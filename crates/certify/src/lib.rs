//! Certifies a Proxy-Wasm host: every conformance case the host can take, under every ABI
//! version and on every runtime it claims, played through the host-under-test protocol
//! (`pwconf-protocol`) and judged against the case's expectations and the host's declared
//! divergences (`hosts/<name>/divergences.yaml`). The result is a certificate: per trial,
//! per rule, per hostcall and callback, the ABI versions passed and a one-line verdict.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use pwconf_abi::{AbiVersion, Spec};
use pwconf_suite::{Case, Suite};
use serde::{Deserialize, Serialize};

pub mod client;
pub mod convert;
pub mod divergences;
pub mod hosts;
pub mod html;
pub mod junit;
pub mod report;
pub mod seam;
pub mod trial;

pub use client::{ClientError, ExternalHost};
pub use divergences::{HostDivergence, HostDivergences};
pub use seam::ProtocolHost;
pub use trial::Verdict;

/// How a trial ended on the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Pass,
    Fail,
    /// The host cannot give what the case checks: its own outcome, never a pass.
    NotObservable,
    /// It fails as the host's divergences file says it does.
    DeclaredDivergence,
    /// Listed as a divergence but it passed: the entry is stale and fails the run.
    StaleDivergence,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::NotObservable,
        Outcome::DeclaredDivergence,
        Outcome::StaleDivergence,
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotObservable => "not-observable",
            Outcome::DeclaredDivergence => "declared-divergence",
            Outcome::StaleDivergence => "stale-divergence",
        }
    }

    /// Whether it fails the certification run.
    pub fn is_failure(&self) -> bool {
        matches!(self, Outcome::Fail | Outcome::StaleDivergence)
    }
}

/// One trial as certified.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostTrial {
    pub case: String,
    pub runtime: String,
    pub abi: AbiVersion,
    pub outcome: Outcome,
    pub detail: String,
    pub rules: Vec<String>,
    pub hostcalls: Vec<String>,
    pub callbacks: Vec<String>,
    pub duration_ms: u128,
}

/// The host as it described itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HostInfo {
    pub name: String,
    pub version: String,
    pub command: String,
    pub abi: Vec<String>,
    pub observations: Vec<pwconf_protocol::Observable>,
    pub runtimes: Vec<String>,
}

/// How one rule, hostcall or callback fared: the outcomes of the trials that check it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Tally {
    pub pass: usize,
    pub fail: usize,
    pub not_observable: usize,
    pub declared_divergence: usize,
    pub stale_divergence: usize,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Pass => self.pass += 1,
            Outcome::Fail => self.fail += 1,
            Outcome::NotObservable => self.not_observable += 1,
            Outcome::DeclaredDivergence => self.declared_divergence += 1,
            Outcome::StaleDivergence => self.stale_divergence += 1,
        }
    }

    /// The one word for it: `fail` if any trial failed, else `pass` if any passed, else
    /// what the rest were.
    pub fn summary(&self) -> &'static str {
        if self.fail + self.stale_divergence > 0 {
            "fail"
        } else if self.pass > 0 && self.declared_divergence == 0 {
            "pass"
        } else if self.pass > 0 || self.declared_divergence > 0 {
            "pass with declared divergences"
        } else {
            "not-observable"
        }
    }
}

/// A rule with its tag and tally.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleResult {
    pub id: String,
    pub tag: pwconf_abi::spec::RuleTag,
    pub tally: Tally,
}

/// The certificate of one host.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Certificate {
    pub host: HostInfo,
    pub trials: Vec<HostTrial>,
    pub totals: Tally,
    pub rules: Vec<RuleResult>,
    pub hostcalls: BTreeMap<String, Tally>,
    pub callbacks: BTreeMap<String, Tally>,
    /// ABI versions the host claims whose every trial passed or failed as declared (and
    /// at least one passed).
    pub abi_passed: Vec<String>,
    pub verdict: String,
    pub duration_s: f64,
}

impl Certificate {
    pub fn failed(&self) -> bool {
        self.trials.iter().any(|t| t.outcome.is_failure())
    }
}

/// What to certify.
#[derive(Debug, Clone)]
pub struct Options {
    /// The host's name (reports and divergences are under it).
    pub name: String,
    /// The command that starts the host (run by `sh -c`).
    pub command: String,
    /// Cases whose id contains one of these (all when empty).
    pub filters: Vec<String>,
    /// Runtimes to certify (all the host lists when empty).
    pub runtimes: Vec<String>,
    /// Where built case modules go.
    pub build_dir: PathBuf,
    /// The host's divergences file (none: no declared divergences).
    pub divergences: Option<PathBuf>,
}

/// Why certification could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum CertifyError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("{0}")]
    Divergences(String),
    #[error("the host lists no runtime named {0:?} (it lists {1})")]
    Runtime(String, String),
}

/// Runs the suite on a host and judges it. A host process that dies or hangs is restarted
/// for the next trial; the trial it died in fails.
///
/// # Errors
/// The host cannot be started or does not speak the protocol, or its divergences file
/// is malformed.
pub fn certify(
    suite: &Suite,
    options: &Options,
    progress: &mut dyn FnMut(&HostTrial),
) -> Result<Certificate, CertifyError> {
    let started = Instant::now();
    let spawn = || ExternalHost::spawn(&options.command, None);
    let host = spawn()?;
    let hello = host.hello().clone();
    let divergences = match &options.divergences {
        Some(path) => HostDivergences::load(path, suite).map_err(CertifyError::Divergences)?,
        None => HostDivergences::default(),
    };
    let runtimes: Vec<String> = if options.runtimes.is_empty() {
        hello.runtimes.clone()
    } else {
        for r in &options.runtimes {
            if !hello.runtimes.contains(r) {
                return Err(CertifyError::Runtime(r.clone(), hello.runtimes.join(", ")));
            }
        }
        options.runtimes.clone()
    };
    let claimed: Vec<AbiVersion> = AbiVersion::ALL
        .into_iter()
        .filter(|v| hello.abi.iter().any(|a| a == v.as_str()))
        .collect();
    let cases: Vec<&Case> = suite
        .cases
        .iter()
        .filter(|c| options.filters.is_empty() || options.filters.iter().any(|f| c.id().contains(f.as_str())))
        .collect();
    let mut trials = Vec::new();
    let mut alive = Some(host);
    for runtime in &runtimes {
        for case in &cases {
            for abi in claimed.iter().copied().filter(|v| case.header.abi.contains(v)) {
                let t0 = Instant::now();
                let verdict = match alive.as_mut() {
                    Some(h) => trial::run(h, suite, case, abi, runtime, &options.build_dir),
                    None => Verdict::Fail("the host could not be restarted".into()),
                };
                // A host that died or hung in this trial is replaced for the next one.
                if matches!(&verdict, Verdict::Fail(why) if why.contains("exited before") || why.contains("answered no reply"))
                {
                    alive = spawn().ok();
                }
                let declared = divergences.find(&case.id(), runtime, abi);
                let (outcome, detail) = match (verdict, declared) {
                    (Verdict::Pass, None) => (Outcome::Pass, String::new()),
                    (Verdict::Pass, Some(d)) => (
                        Outcome::StaleDivergence,
                        format!(
                            "listed as a divergence ({}) but passed: remove the entry",
                            d.reason
                        ),
                    ),
                    (Verdict::Fail(why), None) => (Outcome::Fail, why),
                    (Verdict::Fail(why), Some(d)) => {
                        (Outcome::DeclaredDivergence, format!("{} ({why})", d.reason))
                    }
                    (Verdict::NotObservable(why), _) => (Outcome::NotObservable, why),
                };
                let result = HostTrial {
                    case: case.id(),
                    runtime: runtime.clone(),
                    abi,
                    outcome,
                    detail,
                    rules: case.header.rules.clone(),
                    hostcalls: case.header.hostcalls.clone(),
                    callbacks: case.header.callbacks.clone(),
                    duration_ms: t0.elapsed().as_millis(),
                };
                progress(&result);
                trials.push(result);
            }
        }
    }
    drop(alive);
    let info = HostInfo {
        name: options.name.clone(),
        version: hello.version.clone(),
        command: options.command.clone(),
        abi: hello.abi.clone(),
        observations: hello.observations.clone(),
        runtimes,
    };
    Ok(judge(info, trials, &claimed, started.elapsed().as_secs_f64()))
}

/// Tallies trials per rule, hostcall and callback and writes the verdict.
pub fn judge(host: HostInfo, trials: Vec<HostTrial>, claimed: &[AbiVersion], duration_s: f64) -> Certificate {
    let spec = Spec::embedded();
    let mut totals = Tally::default();
    let mut rules: BTreeMap<String, Tally> = BTreeMap::new();
    let mut hostcalls: BTreeMap<String, Tally> = BTreeMap::new();
    let mut callbacks: BTreeMap<String, Tally> = BTreeMap::new();
    for t in &trials {
        totals.add(t.outcome);
        for r in &t.rules {
            rules.entry(r.clone()).or_default().add(t.outcome);
        }
        for h in &t.hostcalls {
            hostcalls.entry(h.clone()).or_default().add(t.outcome);
        }
        for c in &t.callbacks {
            callbacks.entry(c.clone()).or_default().add(t.outcome);
        }
    }
    let rules = rules
        .into_iter()
        .filter_map(|(id, tally)| {
            spec.rule(&id).map(|r| RuleResult {
                id,
                tag: r.tag,
                tally,
            })
        })
        .collect();
    let abi_passed: Vec<String> = claimed
        .iter()
        .filter(|v| {
            let under: Vec<&HostTrial> = trials.iter().filter(|t| t.abi == **v).collect();
            under.iter().any(|t| t.outcome == Outcome::Pass) && !under.iter().any(|t| t.outcome.is_failure())
        })
        .map(|v| v.as_str().to_string())
        .collect();
    let failed_cases: BTreeSet<&str> = trials
        .iter()
        .filter(|t| t.outcome.is_failure())
        .map(|t| t.case.as_str())
        .collect();
    let verdict = if trials.is_empty() {
        format!("{} {}: no trial ran", host.name, host.version)
    } else if failed_cases.is_empty() && totals.pass == 0 {
        // Nothing observable passed or failed: no evidence either way, so no verdict.
        format!(
            "{} {}: no verdict: none of its {} trials could be observed ({} not observable, {} declared divergence)",
            host.name,
            host.version,
            trials.len(),
            totals.not_observable,
            totals.declared_divergence
        )
    } else if failed_cases.is_empty() {
        format!(
            "{} {} conforms on every case it can observe: {} pass, {} declared divergence, {} not observable, of {} trials (ABI {})",
            host.name,
            host.version,
            totals.pass,
            totals.declared_divergence,
            totals.not_observable,
            trials.len(),
            abi_passed.join(", ")
        )
    } else {
        format!(
            "{} {} does not conform: {} failing trials in {} cases ({} pass, {} declared divergence, {} not observable, of {})",
            host.name,
            host.version,
            totals.fail + totals.stale_divergence,
            failed_cases.len(),
            totals.pass,
            totals.declared_divergence,
            totals.not_observable,
            trials.len()
        )
    };
    Certificate {
        host,
        trials,
        totals,
        rules,
        hostcalls,
        callbacks,
        abi_passed,
        verdict,
        duration_s,
    }
}

/// The conventional command of a host adapter: `hosts/<name>/host`.
pub fn host_command(repo: &Path, name: &str) -> Option<String> {
    let script = repo.join("hosts").join(name).join("host");
    script.is_file().then(|| script.display().to_string())
}
