//! A certificate as JUnit XML (`reports/hosts/<host>.junit.xml`) for CI test views: one
//! test suite per runtime and area, one test case per case and ABI version. A failure or a
//! stale divergence fails; not-observable is skipped (never a pass); a declared divergence
//! passes with its reason as output.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::html::area;
use crate::{Certificate, Outcome};

/// The certificate as JUnit XML.
///
/// # Errors
/// The XML writer fails (it does not on text input).
pub fn junit(cert: &Certificate) -> Result<String, quick_junit::SerializeError> {
    let mut report = Report::new(format!("pwconf-certify::{}", cert.host.name));
    let mut suites: Vec<TestSuite> = Vec::new();
    for t in &cert.trials {
        let suite_name = format!("{}::{}::{}", cert.host.name, t.runtime, area(&t.case));
        let index = match suites.iter().position(|s| s.name.as_str() == suite_name) {
            Some(i) => i,
            None => {
                suites.push(TestSuite::new(suite_name));
                suites.len() - 1
            }
        };
        let status = match t.outcome {
            Outcome::Pass => TestCaseStatus::success(),
            Outcome::DeclaredDivergence => TestCaseStatus::success(),
            Outcome::NotObservable => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!("not-observable: {}", t.detail));
                s
            }
            Outcome::Fail | Outcome::StaleDivergence => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(format!("{}: {}", t.outcome.name(), t.detail));
                s
            }
        };
        let mut case = TestCase::new(format!("{}::{}", t.case.replace('/', "::"), t.abi), status);
        case.set_time(std::time::Duration::from_millis(
            u64::try_from(t.duration_ms).unwrap_or(u64::MAX),
        ));
        if t.outcome == Outcome::DeclaredDivergence {
            case.set_system_out(format!("declared-divergence: {}", t.detail));
        }
        suites[index].add_test_case(case);
    }
    report.add_test_suites(suites);
    report.to_string()
}
