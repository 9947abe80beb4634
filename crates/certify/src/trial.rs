//! One trial on a host under test: a case's module built for one ABI version, its
//! configuration on one runtime, played through the protocol and judged as the
//! in-process runner judges it, except that expectations the host cannot observe make
//! the trial `not-observable`, never a pass.

use std::path::{Path, PathBuf};

use pwconf_abi::AbiVersion;
use pwconf_protocol::{Clock, Observable};
use pwconf_scenario::{Check, ConfigSource, HostError, RunReport};
use pwconf_suite::{Case, Suite};

use crate::client::ExternalHost;
use crate::seam::ProtocolHost;

/// How a trial ended, before the host's divergences are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every expectation met.
    Pass,
    /// An observable expectation unmet, a guest check failed, or the host broke.
    Fail(String),
    /// What the case checks cannot be seen on this host (its trace, its VMs) or the host
    /// cannot play it (a step it lacks); every expectation it could see was met.
    NotObservable(String),
}

/// What a case needs to see that a host might not give.
pub fn needs(case: &Case) -> Vec<Observable> {
    let expect = &case.scenario.expect;
    let mut needs = vec![Observable::Effects];
    if !expect.trace.is_empty() || !expect.absent_trace.is_empty() {
        needs.push(Observable::Trace);
    }
    if !expect.vms.is_empty() {
        needs.push(Observable::Vms);
    }
    needs
}

/// Which observation a check reads.
fn observation_of(check: &Check) -> Observable {
    if check.what == "trace order" || (check.what.starts_with("no ") && check.what.ends_with(" in the trace"))
    {
        Observable::Trace
    } else if check.what.starts_with("VMs on ") {
        Observable::Vms
    } else {
        Observable::Effects
    }
}

/// Writes the case's module for `abi` (the `.wat` expanded with its includes and the
/// marker), as the in-process runner does, under `build`.
fn module_for(suite: &Suite, case: &Case, abi: AbiVersion, build: &Path) -> Result<PathBuf, String> {
    if case.module.extension().is_none_or(|e| e != "wat") {
        return Ok(case.module.clone());
    }
    let source =
        std::fs::read_to_string(&case.module).map_err(|e| format!("{}: {e}", case.module.display()))?;
    let marker = case.header.add_marker.then_some(abi);
    let text = pwconf_suite::module_text(&source, &suite.root.join("lib"), marker)
        .map_err(|e| format!("{}: {e}", case.module.display()))?;
    let dir = build.join(&case.area);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("{}-{}.wat", case.name, abi.as_str().replace('.', "_")));
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Runs one case under `abi` on `runtime` of the host and judges it.
pub fn run(
    host: &mut ExternalHost,
    suite: &Suite,
    case: &Case,
    abi: AbiVersion,
    runtime: &str,
    build: &Path,
) -> Verdict {
    match run_inner(host, suite, case, abi, runtime, build) {
        Ok(v) => v,
        Err(why) => Verdict::Fail(why),
    }
}

fn run_inner(
    host: &mut ExternalHost,
    suite: &Suite,
    case: &Case,
    abi: AbiVersion,
    runtime: &str,
    build: &Path,
) -> Result<Verdict, String> {
    let module = module_for(suite, case, abi, build)?;
    // Cases name runtimes as the suite does (`pwconf.<engine>`, Envoy's names), so they
    // resolve with the same table; the host under test is told the runtime separately.
    let source = ConfigSource {
        config: None,
        module: Some(module),
        options: pwconf_engines::load_options(),
    };
    let config = case
        .scenario
        .resolve_config(&case.path, &source)
        .map_err(|e| e.to_string())?;
    let observable = host.hello().observations.clone();
    let virtual_clock = host.hello().clocks.contains(&Clock::Virtual);
    let workers = case.scenario.workers(&config, 1);
    let start = case.scenario.start(config, workers, false);
    let mut seam = ProtocolHost::new(host, runtime);
    let verdict = match case.scenario.run(&mut seam, &start) {
        Ok((report, checks)) => judge(case, &report, checks, &observable),
        Err(e) => match (seam.unsupported.take(), e) {
            (Some(why), _) => Verdict::NotObservable(format!("the host cannot play it: {why}")),
            (None, HostError::Refused { message, .. }) => {
                Verdict::Fail(format!("the host refused the configuration: {message}"))
            }
            (None, e) => Verdict::Fail(e.to_string()),
        },
    };
    // A host without the virtual clock cannot give what a case that reads the virtual
    // time sees; the reference host on the real clock tells which cases those are.
    if let (Verdict::Fail(why), false) = (&verdict, virtual_clock) {
        let real = case.scenario.start(start.config.clone(), workers, true);
        let mut reference = pwconf_suite::reference_host("wasmtime")?;
        let on_real_clock = match case.scenario.run(&mut reference, &real) {
            Ok((report, checks)) => judge(case, &report, checks, &observable),
            Err(e) => Verdict::Fail(e.to_string()),
        };
        if on_real_clock != Verdict::Pass {
            return Ok(Verdict::NotObservable(format!(
                "the case needs the virtual clock (the reference host fails it on the real clock too); here: {why}"
            )));
        }
    }
    Ok(verdict)
}

/// The verdict on a run: every expectation the host can observe, guest-side checks, and
/// plugins that did not start when none may fail. A refusal at load that the case expects
/// is met whatever the host's wording (the text of the message is pwconf's own).
fn judge(case: &Case, report: &RunReport, checks: Vec<Check>, observable: &[Observable]) -> Verdict {
    let expect = &case.scenario.expect;
    let mut unmet = Vec::new();
    let mut unseen = Vec::new();
    for check in checks {
        let needs = observation_of(&check);
        let refused_as_expected =
            check.what == "configuration refused at load" && check.observed != "it loaded and ran";
        if !observable.contains(&needs) {
            unseen.push(check.what);
        } else if !check.met && !refused_as_expected {
            unmet.push(format!(
                "{}: expected {}, observed {}",
                check.what, check.expected, check.observed
            ));
        }
    }
    if expect.start_failures.is_none() {
        unmet.extend(
            report
                .start_failures
                .iter()
                .map(|f| format!("plugin {} did not start: {}", f.plugin, f.error)),
        );
    }
    unmet.extend(
        report
            .logs
            .iter()
            .filter_map(|l| l.message.strip_prefix("pwconf-fail: "))
            .map(|m| format!("guest check failed: {m}")),
    );
    if !unmet.is_empty() {
        Verdict::Fail(unmet.join("; "))
    } else if !unseen.is_empty() {
        Verdict::NotObservable(format!(
            "every observable expectation met; not observable here: {}",
            unseen.join(", ")
        ))
    } else {
        Verdict::Pass
    }
}
