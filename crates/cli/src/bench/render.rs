//! `pwconf bench`'s report for people: a terminal table, Markdown and an SVG chart. Every
//! figure comes from the [`BenchReport`]; nothing here measures.

use std::fmt::Write as _;

use super::measure::{EngineResult, metric_order};
use super::stats::{Estimate, Metric, Verdict};
use super::{BenchReport, Comparison};

/// A value in its unit, scaled for reading (`ns` to µs/ms/s, bytes to KiB/MiB).
pub fn value(unit: &str, v: f64) -> String {
    if !v.is_finite() {
        return "-".to_string();
    }
    match unit {
        "ns" if v >= 1e9 => format!("{:.2} s", v / 1e9),
        "ns" if v >= 1e6 => format!("{:.2} ms", v / 1e6),
        "ns" if v >= 1e3 => format!("{:.2} µs", v / 1e3),
        "ns" => format!("{v:.0} ns"),
        "bytes" if v >= 1024.0 * 1024.0 => format!("{:.1} MiB", v / (1024.0 * 1024.0)),
        "bytes" if v >= 1024.0 => format!("{:.1} KiB", v / 1024.0),
        "bytes" => format!("{v:.0} B"),
        "requests/s" => format!("{v:.0}/s"),
        other => format!("{v:.3} {other}"),
    }
}

fn with_interval(unit: &str, e: &Estimate) -> String {
    format!(
        "{} [{}–{}]",
        value(unit, e.value),
        value(unit, e.low),
        value(unit, e.high)
    )
}

/// The rows of the table: (label, per engine cell).
fn rows(report: &BenchReport) -> Vec<(String, Vec<String>)> {
    let mut rows = Vec::new();
    for name in metric_order(&report.engines) {
        let cells = |f: &dyn Fn(&Metric) -> String| -> Vec<String> {
            report
                .engines
                .iter()
                .map(|e| e.metric(&name).map_or_else(|| "-".to_string(), f))
                .collect()
        };
        let label = name.replace('_', " ");
        if name == "request" {
            rows.push(("request min".to_string(), cells(&|m| value(&m.unit, m.min))));
            rows.push((
                "request median".to_string(),
                cells(&|m| with_interval(&m.unit, &m.median)),
            ));
            rows.push((
                "request p90".to_string(),
                cells(&|m| with_interval(&m.unit, &m.p90)),
            ));
            rows.push((
                "request p99".to_string(),
                cells(&|m| with_interval(&m.unit, &m.p99)),
            ));
            rows.push(("request samples".to_string(), cells(&|m| m.samples.to_string())));
        } else {
            rows.push((
                format!("{label} (median)"),
                cells(&|m| with_interval(&m.unit, &m.median)),
            ));
        }
    }
    rows
}

fn header_lines(report: &BenchReport) -> Vec<String> {
    vec![
        format!(
            "module: {} (ABI {}, sha256 {})",
            report.module,
            report.abi,
            &report.module_sha256[..12.min(report.module_sha256.len())]
        ),
        format!(
            "scenario: {} ({} HTTP stream(s) per cycle)",
            report.scenario, report.streams
        ),
        format!("plugins: {}", report.plugins.join(", ")),
        format!(
            "{} s per measurement; {} core(s); load average {} at start, {} at end",
            report.time_per_measurement, report.cores, report.load_average.0, report.load_average.1
        ),
    ]
}

fn change_line(c: &super::Change) -> String {
    let verdict = match c.verdict {
        Verdict::Improved => "improved beyond noise",
        Verdict::Regressed => "REGRESSED beyond noise",
        Verdict::Unchanged => "within noise",
    };
    format!(
        "{} {}: {} → {} (×{:.2}) {verdict}",
        c.engine,
        c.metric.replace('_', " "),
        with_interval(&c.unit, &c.baseline),
        with_interval(&c.unit, &c.current),
        c.ratio
    )
}

fn comparison_lines(c: &Comparison) -> Vec<String> {
    let mut lines = vec![format!(
        "against {}{}:",
        c.baseline,
        if c.same_module {
            ""
        } else {
            " (a different module)"
        }
    )];
    let moved: Vec<_> = c
        .changes
        .iter()
        .filter(|c| c.verdict != Verdict::Unchanged)
        .collect();
    for change in &moved {
        lines.push(format!("  {}", change_line(change)));
    }
    let still = c.changes.len() - moved.len();
    if moved.is_empty() {
        lines.push(format!(
            "  nothing changed beyond noise ({still} metric(s) compared)"
        ));
    } else {
        lines.push(format!("  {still} other metric(s) within noise"));
    }
    lines
}

fn error_lines(engines: &[EngineResult]) -> Vec<String> {
    let mut lines = Vec::new();
    for e in engines {
        if let Some(err) = &e.error {
            lines.push(format!("{}: not measured further: {err}", e.engine));
        }
        for note in &e.notes {
            lines.push(format!("{}: {note}", e.engine));
        }
    }
    lines
}

pub fn human(report: &BenchReport) -> String {
    let mut o = String::new();
    for line in header_lines(report) {
        let _ = writeln!(o, "{line}");
    }
    let rows = rows(report);
    let label_width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let widths: Vec<usize> = (0..report.engines.len())
        .map(|i| {
            rows.iter()
                .map(|(_, c)| c[i].chars().count())
                .chain([report.engines[i].engine.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
    let _ = write!(o, "\n{}", pad("", label_width));
    for (e, w) in report.engines.iter().zip(&widths) {
        let _ = write!(o, "  {}", pad(&e.engine, *w));
    }
    o.push('\n');
    for (label, cells) in &rows {
        let _ = write!(o, "{}", pad(label, label_width));
        for (cell, w) in cells.iter().zip(&widths) {
            let _ = write!(o, "  {}", pad(cell, *w));
        }
        o.push('\n');
    }
    let errors = error_lines(&report.engines);
    if !errors.is_empty() {
        o.push('\n');
        for line in errors {
            let _ = writeln!(o, "{line}");
        }
    }
    if let Some(c) = &report.comparison {
        o.push('\n');
        for line in comparison_lines(c) {
            let _ = writeln!(o, "{line}");
        }
    }
    o
}

pub fn markdown(report: &BenchReport) -> String {
    let mut o = String::from("# pwconf bench\n\n");
    for line in header_lines(report) {
        let _ = writeln!(o, "- {line}");
    }
    let _ = writeln!(
        o,
        "\nMedians and percentiles with their 95% intervals (order statistics); requests/s through the whole proxy; a request sample is one stream through the filter chain on one VM copy.\n"
    );
    o.push_str("| metric |");
    for e in &report.engines {
        let _ = write!(o, " {} ({} {}) |", e.engine, e.kind, e.engine_version);
    }
    o.push_str("\n|---|");
    o.push_str(&"---|".repeat(report.engines.len()));
    o.push('\n');
    for (label, cells) in rows(report) {
        let _ = writeln!(o, "| {label} | {} |", cells.join(" | "));
    }
    let errors = error_lines(&report.engines);
    if !errors.is_empty() {
        o.push('\n');
        for line in errors {
            let _ = writeln!(o, "- {line}");
        }
    }
    if let Some(c) = &report.comparison {
        o.push_str("\n## Against the baseline\n\n");
        let lines = comparison_lines(c);
        let _ = writeln!(o, "{}\n", lines[0]);
        for line in &lines[1..] {
            let _ = writeln!(o, "- {}", line.trim_start());
        }
    }
    o
}

/// One panel per metric, a bar per engine with its interval, each panel on its own
/// linear scale from zero; the engines' colours in a legend.
pub fn svg(report: &BenchReport) -> String {
    let metrics = metric_order(&report.engines);
    let (width, panel_h, bar_h, left) = (760.0, 28.0 + 22.0 * report.engines.len() as f64, 16.0, 190.0);
    let height = 40.0 + panel_h * metrics.len() as f64;
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n"
    );
    let mut x = left;
    for e in &report.engines {
        let _ = writeln!(
            o,
            "<rect x=\"{x}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"18\">{}</text>",
            pwconf_reports::perf::engine_colour(&e.engine),
            x + 16.0,
            e.engine
        );
        x += 110.0;
    }
    for (i, name) in metrics.iter().enumerate() {
        let top = 40.0 + panel_h * i as f64;
        let found: Vec<(&EngineResult, &Metric)> = report
            .engines
            .iter()
            .filter_map(|e| e.metric(name).map(|m| (e, m)))
            .collect();
        let Some((_, first)) = found.first() else { continue };
        let better = match first.better {
            super::stats::Better::Lower => "lower is better",
            super::stats::Better::Higher => "higher is better",
        };
        let _ = writeln!(
            o,
            "<text x=\"4\" y=\"{}\" font-weight=\"bold\">{} (median, {better})</text>",
            top + 12.0,
            name.replace('_', " ")
        );
        let max = found
            .iter()
            .map(|(_, m)| m.median.high)
            .fold(0.0_f64, f64::max)
            .max(f64::MIN_POSITIVE);
        let scale = (width - left - 120.0) / max;
        for (j, (e, m)) in found.iter().enumerate() {
            let y = top + 20.0 + 22.0 * j as f64;
            let _ = writeln!(
                o,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{left}\" y=\"{y}\" width=\"{:.1}\" height=\"{bar_h}\" fill=\"{}\"/><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"black\"/><text x=\"{:.1}\" y=\"{}\">{}</text>",
                left - 6.0,
                y + 12.0,
                e.engine,
                m.median.value * scale,
                pwconf_reports::perf::engine_colour(&e.engine),
                left + m.median.low * scale,
                left + m.median.high * scale,
                y + bar_h / 2.0,
                y + bar_h / 2.0,
                left + m.median.high * scale + 6.0,
                y + 12.0,
                value(&m.unit, m.median.value)
            );
        }
    }
    o.push_str("</svg>\n");
    o
}
