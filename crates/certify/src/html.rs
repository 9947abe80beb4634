//! A certificate as one self-contained HTML page (`reports/hosts/<host>.html`): inline
//! style, no script, nothing fetched, so it opens from a CI artifact as it is.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::{Certificate, HostTrial, Outcome, Tally};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The area of a case: the folder of `<area>/<case>`.
pub fn area(case: &str) -> &str {
    case.split('/').next().unwrap_or(case)
}

/// Failures first, then declared divergences, not-observable, passes; by case within each.
fn display_rank(o: Outcome) -> u8 {
    match o {
        Outcome::StaleDivergence => 0,
        Outcome::Fail => 1,
        Outcome::DeclaredDivergence => 2,
        Outcome::NotObservable => 3,
        Outcome::Pass => 4,
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;max-width:80em}\
table{border-collapse:collapse;margin:.5em 0 1.5em}\
td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\
th{background:#f3f3f3}.verdict{font-size:1.2em;padding:.5em;border-radius:4px}\
.ok{background:#e3f6e3}.bad{background:#fbe3e3}\
.pass{color:#176317}.fail,.stale-divergence{color:#a31515;font-weight:bold}\
.not-observable{color:#666}.declared-divergence{color:#8a5a00}\
td.detail{font-family:monospace;font-size:.85em;white-space:pre-wrap;max-width:60em}";

fn tally_cells(t: &Tally) -> String {
    format!(
        "<td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
        t.summary().split(' ').next().unwrap_or_default(),
        escape(t.summary()),
        t.pass,
        t.fail + t.stale_divergence,
        t.not_observable,
        t.declared_divergence
    )
}

const TALLY_HEAD: &str =
    "<th>verdict</th><th>pass</th><th>fail</th><th>not-observable</th><th>declared-divergence</th>";

fn trial_row(out: &mut String, t: &HostTrial) {
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{o}\">{o}</td><td class=\"detail\">{}</td></tr>",
        escape(&t.case),
        escape(&t.runtime),
        t.abi,
        escape(&t.detail),
        o = t.outcome.name(),
    );
}

/// The certificate as HTML.
pub fn html(cert: &Certificate) -> String {
    let h = &cert.host;
    let mut out = String::new();
    let title = format!("Certificate: {} {}", h.name, h.version);
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>{STYLE}</style></head><body>\n<h1>{t}</h1>",
        t = escape(&title)
    );
    let _ = writeln!(
        out,
        "<p class=\"verdict {}\">{}</p>",
        if cert.failed() { "bad" } else { "ok" },
        escape(&cert.verdict)
    );
    let passed = if cert.abi_passed.is_empty() {
        "none".to_string()
    } else {
        cert.abi_passed.join(", ")
    };
    let _ = writeln!(
        out,
        "<ul><li>Host command: <code>{}</code></li><li>ABI versions claimed: {}</li><li>ABI versions passed: {}</li><li>Runtimes: {}</li><li>Run time: {:.0} s</li></ul>",
        escape(&h.command),
        escape(&h.abi.join(", ")),
        escape(&passed),
        escape(&h.runtimes.join(", ")),
        cert.duration_s
    );

    let _ = writeln!(
        out,
        "<h2>Summary</h2>\n<table><tr><th>outcome</th><th>trials</th></tr>"
    );
    for o in Outcome::ALL {
        let n = cert.trials.iter().filter(|t| t.outcome == o).count();
        let _ = writeln!(
            out,
            "<tr><td class=\"{n_}\">{n_}</td><td>{n}</td></tr>",
            n_ = o.name()
        );
    }
    let _ = writeln!(out, "<tr><th>all</th><th>{}</th></tr></table>", cert.trials.len());

    let mut areas: BTreeMap<&str, (Tally, Vec<&HostTrial>)> = BTreeMap::new();
    for t in &cert.trials {
        let entry = areas.entry(area(&t.case)).or_default();
        entry.0.add(t.outcome);
        entry.1.push(t);
    }
    let _ = writeln!(
        out,
        "<h2>Areas</h2>\n<table><tr><th>area</th>{TALLY_HEAD}<th>trials</th></tr>"
    );
    for (name, (tally, trials)) in &areas {
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#area-{a}\">{a}</a></td>{}<td>{}</td></tr>",
            tally_cells(tally),
            trials.len(),
            a = escape(name)
        );
    }
    out.push_str("</table>\n");

    let mut failing: Vec<&HostTrial> = cert.trials.iter().filter(|t| t.outcome.is_failure()).collect();
    if !failing.is_empty() {
        failing.sort_by(|a, b| a.case.cmp(&b.case));
        let _ = writeln!(
            out,
            "<h2>Failures ({})</h2>\n<table><tr><th>case</th><th>runtime</th><th>ABI</th><th>outcome</th><th>why</th></tr>",
            failing.len()
        );
        for t in failing {
            trial_row(&mut out, t);
        }
        out.push_str("</table>\n");
    }

    for (name, (tally, trials)) in &mut areas {
        trials.sort_by(|a, b| {
            (display_rank(a.outcome), &a.case, a.abi).cmp(&(display_rank(b.outcome), &b.case, b.abi))
        });
        let _ = writeln!(
            out,
            "<h2 id=\"area-{a}\">{a}: {} pass of {}</h2>\n<table><tr><th>case</th><th>runtime</th><th>ABI</th><th>outcome</th><th>detail</th></tr>",
            tally.pass,
            trials.len(),
            a = escape(name)
        );
        for t in trials.iter() {
            trial_row(&mut out, t);
        }
        out.push_str("</table>\n");
    }

    for (heading, what, rows) in [
        ("Hostcalls", "hostcall", &cert.hostcalls),
        ("Callbacks", "callback", &cert.callbacks),
    ] {
        let _ = writeln!(
            out,
            "<h2>{heading}</h2>\n<table><tr><th>{what}</th>{TALLY_HEAD}</tr>"
        );
        for (name, t) in rows {
            let _ = writeln!(out, "<tr><td>{}</td>{}</tr>", escape(name), tally_cells(t));
        }
        out.push_str("</table>\n");
    }
    let _ = writeln!(
        out,
        "<h2>Rules</h2>\n<table><tr><th>rule</th><th>tag</th>{TALLY_HEAD}</tr>"
    );
    for r in &cert.rules {
        let tag = serde_json::to_value(r.tag)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td>{}</tr>",
            escape(&r.id),
            escape(&tag),
            tally_cells(&r.tally)
        );
    }
    out.push_str("</table>\n</body></html>\n");
    out
}
