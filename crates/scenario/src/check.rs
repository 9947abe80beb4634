//! Judging a run: every expectation of a scenario against what the host observed, each
//! as a [`Check`] with what was expected and what was seen.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::{
    Expectations, HttpExpect, LocalReplyExpect, LogExpect, MessageExpect, Scenario, Step, TcpExpect,
    TraceExpect,
};
use crate::observe::{HttpOutcome, LogLine, Message, Pair, RunReport, TcpOutcome, TraceEvent};

impl Scenario {
    /// Checks every expectation against what a run observed.
    pub fn check(&self, report: &RunReport) -> Vec<Check> {
        let mut checks = Vec::new();
        for (name, step) in self.named_steps() {
            match step {
                Step::Http(h) => {
                    if let Some(expect) = &h.expect {
                        check_http(&mut checks, &name, expect, report.http.get(&name));
                    }
                }
                Step::Tcp(t) => {
                    if let Some(expect) = &t.expect {
                        check_tcp(&mut checks, &name, expect, report.tcp.get(&name));
                    }
                }
                Step::AdvanceTime(_) | Step::Reconfigure(_) | Step::ForeignFunction(_) => {}
            }
        }
        check_run(&mut checks, &self.expect, report);
        checks
    }
}

/// One expectation and whether it was met.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Check {
    pub what: String,
    pub met: bool,
    pub expected: String,
    pub observed: String,
}

fn push(
    checks: &mut Vec<Check>,
    what: String,
    expected: impl fmt::Display,
    observed: impl fmt::Display,
    met: bool,
) {
    checks.push(Check {
        what,
        met,
        expected: expected.to_string(),
        observed: observed.to_string(),
    });
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn header_value(pairs: &[Pair], name: &str) -> Option<String> {
    let name = name.to_ascii_lowercase();
    pairs
        .iter()
        .find(|(k, _)| *k == name.as_bytes())
        .map(|(_, v)| lossy(v))
}

fn check_message(checks: &mut Vec<Check>, what: &str, expect: &MessageExpect, got: Option<&Message>) {
    let received = got.is_some_and(|m| !m.headers.is_empty() || m.complete);
    if let Some(want) = expect.received {
        push(
            checks,
            format!("{what} received"),
            want,
            received,
            want == received,
        );
    }
    let empty = Message::default();
    let m = got.unwrap_or(&empty);
    if let Some(status) = expect.status {
        let observed = header_value(&m.headers, ":status").unwrap_or_else(|| "none".to_string());
        push(
            checks,
            format!("{what} status"),
            status,
            &observed,
            observed == status.to_string(),
        );
    }
    for (name, value) in &expect.headers.0 {
        let observed = header_value(&m.headers, name);
        let shown = observed.clone().unwrap_or_else(|| "absent".to_string());
        push(
            checks,
            format!("{what} header {name}"),
            value,
            shown,
            observed.as_deref() == Some(value),
        );
    }
    for name in &expect.absent_headers {
        let observed = header_value(&m.headers, name);
        let shown = observed.clone().unwrap_or_else(|| "absent".to_string());
        push(
            checks,
            format!("{what} header {name}"),
            "absent",
            shown,
            observed.is_none(),
        );
    }
    if let Some(body) = &expect.body {
        let observed = lossy(&m.body);
        push(
            checks,
            format!("{what} body"),
            format!("{body:?}"),
            format!("{observed:?}"),
            observed == *body,
        );
    }
    for (name, value) in &expect.trailers.0 {
        let observed = m.trailers.as_ref().and_then(|t| header_value(t, name));
        let shown = observed.clone().unwrap_or_else(|| "absent".to_string());
        push(
            checks,
            format!("{what} trailer {name}"),
            value,
            shown,
            observed.as_deref() == Some(value),
        );
    }
}

fn check_http(checks: &mut Vec<Check>, name: &str, expect: &HttpExpect, got: Option<&HttpOutcome>) {
    let Some(got) = got else {
        push(
            checks,
            format!("http {name}"),
            "a finished stream",
            "no stream",
            false,
        );
        return;
    };
    if let Some(e) = &expect.upstream {
        check_message(
            checks,
            &format!("http {name}: upstream"),
            e,
            got.upstream_request.as_ref(),
        );
    }
    if let Some(e) = &expect.downstream {
        check_message(
            checks,
            &format!("http {name}: downstream"),
            e,
            got.downstream_response.as_ref(),
        );
    }
    match (&expect.local_reply, &got.local_reply) {
        (None, _) => {}
        (Some(LocalReplyExpect::Sent(want)), observed) => push(
            checks,
            format!("http {name}: local reply sent"),
            want,
            observed.is_some(),
            *want == observed.is_some(),
        ),
        (Some(LocalReplyExpect::Reply(want)), observed) => {
            let what = format!("http {name}: local reply");
            match observed {
                None => push(checks, what, "a local reply", "none", false),
                Some(r) => {
                    if let Some(s) = want.status {
                        push(checks, format!("{what} status"), s, r.status, s == r.status);
                    }
                    if let Some(d) = &want.details {
                        push(checks, format!("{what} details"), d, &r.details, *d == r.details);
                    }
                    if let Some(b) = &want.body {
                        let body = lossy(&r.body);
                        push(
                            checks,
                            format!("{what} body"),
                            format!("{b:?}"),
                            format!("{body:?}"),
                            *b == body,
                        );
                    }
                }
            }
        }
    }
    if let Some(reset) = expect.reset {
        push(
            checks,
            format!("http {name}: reset"),
            reset,
            got.reset,
            reset == got.reset,
        );
    }
}

fn check_tcp(checks: &mut Vec<Check>, name: &str, expect: &TcpExpect, got: Option<&TcpOutcome>) {
    let Some(got) = got else {
        push(
            checks,
            format!("tcp {name}"),
            "a connection",
            "no connection",
            false,
        );
        return;
    };
    if let Some(want) = &expect.upstream_received {
        let observed = lossy(&got.upstream_received);
        push(
            checks,
            format!("tcp {name}: upstream received"),
            format!("{want:?}"),
            format!("{observed:?}"),
            *want == observed,
        );
    }
    if let Some(want) = &expect.downstream_received {
        let observed = lossy(&got.downstream_received);
        push(
            checks,
            format!("tcp {name}: downstream received"),
            format!("{want:?}"),
            format!("{observed:?}"),
            *want == observed,
        );
    }
    if let Some(want) = &expect.closed_by {
        let observed = got.closed_by.clone().unwrap_or_else(|| "nobody".to_string());
        push(
            checks,
            format!("tcp {name}: closed by"),
            want,
            &observed,
            *want == observed,
        );
    }
}

fn log_matches(e: &LogExpect, line: &LogLine) -> bool {
    let level_ok = e
        .level
        .as_ref()
        .is_none_or(|l| l.eq_ignore_ascii_case(line.level.name()));
    level_ok && line.message.contains(&e.contains)
}

fn event_matches(e: &TraceExpect, event: &TraceEvent) -> bool {
    match event {
        TraceEvent::Callback {
            name, args, result, ..
        } => {
            e.callback.as_ref().is_some_and(|c| c == name)
                && e.hostcall.is_none()
                && e.args.as_ref().is_none_or(|a| a == args)
                && e.result.is_none_or(|r| Some(r) == *result)
        }
        TraceEvent::Hostcall { name, args, status } => {
            e.hostcall.as_ref().is_some_and(|h| h == name)
                && e.callback.is_none()
                && e.args.as_ref().is_none_or(|a| a == args)
                && e.status.as_ref().is_none_or(|s| Some(s) == status.as_ref())
        }
    }
}

fn describe(e: &TraceExpect) -> String {
    let mut s = e
        .callback
        .clone()
        .or_else(|| e.hostcall.clone())
        .unwrap_or_default();
    if let Some(args) = &e.args {
        s.push_str(&format!("{args:?}"));
    }
    if let Some(r) = e.result {
        s.push_str(&format!(" -> {r}"));
    }
    if let Some(st) = &e.status {
        s.push_str(&format!(" -> {st}"));
    }
    s
}

fn check_run(checks: &mut Vec<Check>, expect: &Expectations, report: &RunReport) {
    for e in &expect.logs {
        let found = report.logs.iter().any(|l| log_matches(e, l));
        let level = e.level.clone().unwrap_or_else(|| "any".to_string());
        push(
            checks,
            format!("log ({level}) containing {:?}", e.contains),
            "present",
            if found { "present" } else { "absent" },
            found,
        );
    }
    for e in &expect.absent_logs {
        let found = report.logs.iter().find(|l| log_matches(e, l));
        let level = e.level.clone().unwrap_or_else(|| "any".to_string());
        push(
            checks,
            format!("no log ({level}) containing {:?}", e.contains),
            "absent",
            found.map_or("absent".to_string(), |l| format!("{:?}", l.message)),
            found.is_none(),
        );
    }
    if !expect.trace.is_empty() {
        // The longest prefix of the expected sequence found in order in one VM's trace.
        let best = report
            .trace
            .iter()
            .map(|t| {
                let mut matched = 0;
                for event in &t.events {
                    if matched < expect.trace.len() && event_matches(&expect.trace[matched], event) {
                        matched += 1;
                    }
                }
                matched
            })
            .max()
            .unwrap_or(0);
        let expected: Vec<String> = expect.trace.iter().map(describe).collect();
        let observed = if best == expect.trace.len() {
            "all, in order".to_string()
        } else {
            format!("stopped before {}", expected[best])
        };
        push(
            checks,
            "trace order".to_string(),
            expected.join(" > "),
            observed,
            best == expect.trace.len(),
        );
    }
    for name in &expect.absent_trace {
        let count: usize = report
            .trace
            .iter()
            .map(|t| {
                t.events
                    .iter()
                    .filter(|e| match e {
                        TraceEvent::Callback { name: n, .. } | TraceEvent::Hostcall { name: n, .. } => {
                            n == name
                        }
                    })
                    .count()
            })
            .sum();
        push(checks, format!("no {name} in the trace"), 0, count, count == 0);
    }
    for (name, want) in &expect.metrics {
        let observed = report.metrics.iter().find(|m| m.name == *name).map(|m| m.value);
        let shown = observed.map_or_else(|| "undefined".to_string(), |v| v.to_string());
        push(
            checks,
            format!("metric {name}"),
            want,
            shown,
            observed == Some(*want),
        );
    }
    for (thread, want) in &expect.vms {
        let count = report.vms.iter().filter(|v| v.thread == *thread).count();
        push(checks, format!("VMs on {thread}"), want, count, count == *want);
    }
    if let Some(wanted) = &expect.start_failures {
        if wanted.is_empty() {
            let observed: Vec<String> = report
                .start_failures
                .iter()
                .map(|f| format!("{}: {}", f.plugin, f.error))
                .collect();
            push(
                checks,
                "start failures".to_string(),
                "none",
                format!("{observed:?}"),
                observed.is_empty(),
            );
        }
        for w in wanted {
            let found = report
                .start_failures
                .iter()
                .any(|f| f.error.contains(w.as_str()) || f.plugin == *w);
            push(
                checks,
                format!("start failure {w:?}"),
                "present",
                if found { "present" } else { "absent" },
                found,
            );
        }
    }
}
