//! JUnit XML for CI dashboards: one `<testsuite>` per backend, one `<testcase>` per trial
//! named as `--filter` takes it, `classname` its area, and for a failure a short message
//! with the whole detail as its body.

use anyhow::{Context, Result};
use pwconf_suite::sdk::SdkResult;
use pwconf_suite::{Outcome, TrialResult};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

/// One trial as JUnit sees it.
pub struct Row<'a> {
    pub backend: &'a str,
    pub name: String,
    pub classname: String,
    pub outcome: Outcome,
    pub detail: &'a str,
    /// What else a reader of a failure wants (the case file, its rules).
    pub context: String,
    pub duration_us: u128,
}

/// The first line of a detail, short enough for a dashboard's one-line message.
fn headline(detail: &str) -> String {
    let first = detail.lines().next().unwrap_or_default();
    match first.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &first[..cut]),
        None => first.to_string(),
    }
}

fn status(row: &Row) -> TestCaseStatus {
    match row.outcome {
        Outcome::Pass => TestCaseStatus::success(),
        Outcome::ExpectedFail => TestCaseStatus::success(),
        Outcome::Skip => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(row.detail);
            s
        }
        Outcome::Fail | Outcome::UnexpectedPass => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_type(row.outcome.name());
            s.set_message(format!("{}: {}", row.outcome.name(), headline(row.detail)));
            let mut body = row.detail.to_string();
            if !row.context.is_empty() {
                body.push_str("\n\n");
                body.push_str(&row.context);
            }
            s.set_description(body);
            s
        }
    }
}

/// Renders rows (in run order) as a JUnit report named `name`.
pub fn render(name: &str, rows: &[Row]) -> Result<String> {
    let mut report = Report::new(name);
    let mut suites: Vec<TestSuite> = Vec::new();
    for row in rows {
        let index = match suites.iter().position(|s| s.name.as_str() == row.backend) {
            Some(i) => i,
            None => {
                suites.push(TestSuite::new(row.backend));
                suites.len() - 1
            }
        };
        let mut case = TestCase::new(row.name.as_str(), status(row));
        case.set_classname(row.classname.as_str());
        case.set_time(std::time::Duration::from_micros(
            u64::try_from(row.duration_us).unwrap_or(u64::MAX),
        ));
        if row.outcome == Outcome::ExpectedFail {
            // Passing for CI, but the reason stays visible to whoever opens the case.
            case.set_system_out(format!("expected-fail: {}", row.detail));
        }
        suites[index].add_test_case(case);
    }
    report.add_test_suites(suites);
    report.to_string().context("writing JUnit XML")
}

/// The conformance trials of a run.
pub fn trials(results: &[TrialResult]) -> Result<String> {
    let rows: Vec<Row> = results
        .iter()
        .map(|r| Row {
            backend: &r.backend,
            name: pwconf_suite::select::result_name(r),
            classname: r.area.clone(),
            outcome: r.outcome,
            detail: &r.detail,
            context: format!("case {} (ABI {}), rules {}", r.case, r.abi, r.rules.join(" ")),
            duration_us: r.duration_us,
        })
        .collect();
    render("pwconf", &rows)
}

/// The SDK trials of a run; the classname is `sdk::<sdk>/<filter>`.
pub fn sdk_trials(results: &[SdkResult]) -> Result<String> {
    let rows: Vec<Row> = results
        .iter()
        .map(|r| Row {
            backend: &r.backend,
            name: r.name(),
            classname: format!("sdk::{}/{}", r.sdk, r.filter),
            outcome: r.outcome,
            detail: &r.detail,
            context: format!("module {}, scenario {}", r.module(), r.scenario),
            duration_us: r.duration_us,
        })
        .collect();
    render("pwconf-sdk", &rows)
}
