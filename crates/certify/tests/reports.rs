//! The forms of a certificate (HTML, JUnit) and the side-by-side of certified hosts, on
//! certificates made from known trials.

use pwconf_abi::AbiVersion;
use pwconf_certify::{Certificate, HostInfo, HostTrial, Outcome, hosts, html, judge, junit, report};

fn trial(case: &str, runtime: &str, abi: AbiVersion, outcome: Outcome, detail: &str) -> HostTrial {
    HostTrial {
        case: case.into(),
        runtime: runtime.into(),
        abi,
        outcome,
        detail: detail.into(),
        rules: vec![],
        hostcalls: vec!["proxy_log".into()],
        callbacks: vec!["proxy_on_log".into()],
        duration_ms: 7,
    }
}

fn certificate(name: &str, trials: Vec<HostTrial>) -> Certificate {
    let info = HostInfo {
        name: name.into(),
        version: "9.9".into(),
        command: "./hosts/x/host".into(),
        abi: vec!["0.2.0".into(), "0.2.1".into()],
        observations: vec![],
        runtimes: vec!["rt.a".into(), "rt.b".into()],
    };
    judge(info, trials, &[AbiVersion::V0_2_0, AbiVersion::V0_2_1], 1.0)
}

fn mixed() -> Certificate {
    certificate(
        "mixed",
        vec![
            trial("logging/ok", "rt.a", AbiVersion::V0_2_0, Outcome::Pass, ""),
            trial("logging/ok", "rt.a", AbiVersion::V0_2_1, Outcome::Pass, ""),
            trial(
                "timers/late",
                "rt.a",
                AbiVersion::V0_2_1,
                Outcome::Fail,
                "expected <tick> & saw none",
            ),
            trial(
                "timers/trace",
                "rt.a",
                AbiVersion::V0_2_1,
                Outcome::NotObservable,
                "trace only",
            ),
            trial(
                "timers/odd",
                "rt.b",
                AbiVersion::V0_2_0,
                Outcome::DeclaredDivergence,
                "known",
            ),
            trial("logging/ok", "rt.b", AbiVersion::V0_2_0, Outcome::Pass, ""),
        ],
    )
}

#[test]
fn html_puts_failures_first_escaped_and_fetches_nothing() {
    let page = html::html(&mixed());
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains("does not conform"), "{page}");
    let failures = page
        .find("<h2>Failures (1)</h2>")
        .unwrap_or_else(|| panic!("{page}"));
    let areas = page
        .find("id=\"area-logging\"")
        .unwrap_or_else(|| panic!("{page}"));
    assert!(failures < areas, "failures come before the per-area tables");
    assert!(page.contains("expected &lt;tick&gt; &amp; saw none"), "{page}");
    assert!(!page.contains("<tick>"), "detail must be escaped");
    // Within an area the failing trial comes before the passing ones.
    let timers = &page[page
        .find("id=\"area-timers\"")
        .unwrap_or_else(|| panic!("{page}"))..];
    let fail = timers.find("timers/late").unwrap_or_else(|| panic!("{timers}"));
    let not_observable = timers.find("timers/trace").unwrap_or_else(|| panic!("{timers}"));
    assert!(fail < not_observable, "{timers}");
    for external in ["http://", "https://", "<script", "<link", "src="] {
        assert!(
            !page.contains(external),
            "the page must be self-contained: {external}"
        );
    }
}

#[test]
fn junit_fails_failures_and_skips_the_unobservable() {
    let xml = junit::junit(&mixed()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(xml.matches("<testcase ").count(), 6, "{xml}");
    assert_eq!(xml.matches("<failure").count(), 1, "{xml}");
    assert_eq!(xml.matches("<skipped").count(), 1, "{xml}");
    assert!(xml.contains("timers::late::0.2.1"), "{xml}");
    assert!(xml.contains("mixed::rt.a::timers"), "{xml}");
    assert!(xml.contains("declared-divergence: known"), "{xml}");
}

#[test]
fn write_gives_every_form_and_json_reads_back() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports-write");
    let _ = std::fs::remove_dir_all(&dir);
    let cert = mixed();
    report::write(&cert, &dir).unwrap_or_else(|e| panic!("{e}"));
    for ext in ["md", "json", "html", "junit.xml"] {
        assert!(
            dir.join(format!("mixed.{ext}")).is_file(),
            "mixed.{ext} not written"
        );
    }
    let text = std::fs::read_to_string(dir.join("mixed.json")).unwrap_or_else(|e| panic!("{e}"));
    let back: Certificate = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        report::json(&back),
        text,
        "a certificate renders again from its JSON"
    );
}

#[test]
fn hosts_side_by_side_has_a_column_per_host_and_runtime() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports-hosts");
    let _ = std::fs::remove_dir_all(&dir);
    let certs = dir.join("hosts");
    std::fs::create_dir_all(&certs).unwrap_or_else(|e| panic!("{e}"));
    let clean = certificate(
        "clean",
        vec![
            trial("logging/ok", "rt.a", AbiVersion::V0_2_0, Outcome::Pass, ""),
            trial("logging/ok", "rt.a", AbiVersion::V0_2_1, Outcome::Pass, ""),
        ],
    );
    for c in [&mixed(), &clean] {
        std::fs::write(certs.join(format!("{}.json", c.host.name)), report::json(c))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let columns = hosts::write(&certs, &dir).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<(String, String)> = columns
        .iter()
        .map(|c| (c.host.clone(), c.runtime.clone()))
        .collect();
    assert_eq!(
        names,
        [
            ("clean".into(), "rt.a".into()),
            ("mixed".into(), "rt.a".into()),
            ("mixed".into(), "rt.b".into())
        ]
    );
    // mixed on rt.a fails under 0.2.1 only; on rt.b 0.2.0 passes, 0.2.1 has no trial.
    assert_eq!(columns[1].abi_passed, ["0.2.0"]);
    assert_eq!(columns[2].abi_passed, ["0.2.0"]);
    assert_eq!(columns[0].abi_passed, ["0.2.0", "0.2.1"]);
    assert_eq!(columns[1].areas["timers"].fail, 1);
    let md = std::fs::read_to_string(dir.join("hosts.md")).unwrap_or_else(|e| panic!("{e}"));
    assert!(md.contains("| pass | 2 | 2 | 1 |"), "{md}");
    assert!(md.contains("| timers (pass) | - | 0 / 2 | 0 / 1 |"), "{md}");
    assert!(
        md.contains("| verdict | conforms | does not conform | conforms |"),
        "{md}"
    );
    assert!(dir.join("hosts.json").is_file());

    // A file that is not a certificate is named, not skipped.
    std::fs::write(certs.join("zz.json"), "{}").unwrap_or_else(|e| panic!("{e}"));
    let err = hosts::collect(&certs).map(|_| ()).unwrap_err().to_string();
    assert!(
        err.contains("zz.json") && err.contains("not a certificate"),
        "{err}"
    );
}

#[test]
fn a_host_that_could_observe_nothing_gets_no_verdict() {
    let blind = certificate(
        "blind",
        vec![
            trial(
                "logging/a",
                "rt.a",
                AbiVersion::V0_2_1,
                Outcome::NotObservable,
                "needs the trace",
            ),
            trial(
                "logging/b",
                "rt.a",
                AbiVersion::V0_2_0,
                Outcome::NotObservable,
                "needs the trace",
            ),
        ],
    );
    assert!(blind.verdict.contains("no verdict"), "{}", blind.verdict);
    assert!(!blind.verdict.contains("conforms"), "{}", blind.verdict);
    let side_by_side = hosts::markdown(&hosts::columns(&blind));
    assert!(side_by_side.contains("no verdict"), "{side_by_side}");
    assert!(!side_by_side.contains("| conforms"), "{side_by_side}");
}
