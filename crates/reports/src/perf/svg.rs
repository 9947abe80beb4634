//! The perf report's SVG charts: one per bench group and one of the target ratios.

use super::*;

impl Perf<'_> {
    pub(super) fn chart_groups(&self) -> Vec<(String, Vec<(String, &Estimate)>)> {
        let mut groups: Vec<(String, Vec<(String, &Estimate)>)> = Vec::new();
        for (row, per) in self.rows() {
            let group = row.split('/').next().unwrap_or(&row).to_string();
            let function = row.split_once('/').map_or("", |(_, f)| f).to_string();
            let bars = per.into_iter().map(|(engine, e)| {
                let label = if function.is_empty() {
                    engine
                } else {
                    format!("{engine} {function}")
                };
                (label, e)
            });
            match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, b)) => b.extend(bars),
                None => groups.push((group, bars.collect())),
            }
        }
        // Grouped by function, the engines side by side within each.
        let engines = self.engine_names();
        let key = |label: &str| {
            let (engine, function) = label.split_once(' ').unwrap_or((label, ""));
            let rank = engines.iter().position(|e| e == engine).unwrap_or(engines.len());
            (function.to_string(), rank)
        };
        for (_, bars) in &mut groups {
            bars.sort_by_key(|(label, _)| key(label));
        }
        groups
    }

    /// The SVG charts by file name: one per bench group, and the target ratios.
    pub fn charts(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (group, bars) in self.chart_groups() {
            let bars: Vec<Bar> = bars
                .iter()
                .map(|(label, e)| Bar {
                    label: label.clone(),
                    value: e.ns,
                    low: e.lower,
                    high: e.upper,
                    marker: None,
                    ok: None,
                    engine: label.split(' ').next().map(str::to_string),
                })
                .collect();
            let (scale, unit) = time_unit(bars.iter().map(|b| b.high).fold(0.0, f64::max));
            let scaled: Vec<Bar> = bars
                .into_iter()
                .map(|b| Bar {
                    value: b.value / scale,
                    low: b.low / scale,
                    high: b.high / scale,
                    ..b
                })
                .collect();
            let title =
                format!("{group}: time per iteration ({unit}, lower is better), with confidence interval");
            out.push((format!("perf-{group}.svg"), bar_chart(&title, unit, &scaled)));
        }
        let bars: Vec<Bar> = self
            .ratios()
            .iter()
            .filter(|r| r.what != SUITE_WALL && r.what != LIFECYCLE_TIME)
            .filter_map(|r| {
                let v = r.value?;
                let (low, high) = r.range.unwrap_or((v, v));
                Some(Bar {
                    label: format!(
                        "{} {} ({})",
                        r.engine,
                        short(r),
                        r.target_text().split(" (").next().unwrap_or("")
                    ),
                    value: v,
                    low,
                    high,
                    marker: Some(r.target),
                    ok: r.met(),
                    engine: None,
                })
            })
            .collect();
        out.push((
            "perf-ratios.svg".to_string(),
            bar_chart(
                "Target ratios (bar: measured with range; tick: target)",
                "×",
                &bars,
            ),
        ));
        out
    }
}

pub(super) struct Bar {
    label: String,
    value: f64,
    low: f64,
    high: f64,
    /// A target tick on the bar.
    marker: Option<f64>,
    /// Colours the bar: met (green), missed (red), or else its engine's colour.
    ok: Option<bool>,
    /// The engine the bar belongs to (its colour, and the legend).
    engine: Option<String>,
}

/// Each engine's colour in every chart (the perf report's and `pwconf bench`'s).
pub fn engine_colour(engine: &str) -> &'static str {
    match engine {
        "wasmtime" => "#4e79a7",
        "wasmer" => "#f28e2b",
        "wasmi" => "#59a14f",
        "native" => "#9c755f",
        _ => "#b07aa1",
    }
}

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart with confidence whiskers, written as plain SVG: a chart this
/// simple needs no plotting library (and no font metrics to lay out its labels).
pub(super) fn bar_chart(title: &str, unit: &str, bars: &[Bar]) -> String {
    let (label_w, plot_w, row_h, top) = (300.0, 460.0, 22.0, 48.0);
    let height = top + row_h * bars.len() as f64 + 30.0;
    let width = label_w + plot_w + 90.0;
    let max = bars
        .iter()
        .map(|b| b.high.max(b.marker.unwrap_or(0.0)))
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    // Values spanning more than two orders of magnitude get a log scale, so the small
    // ones stay readable; its floor is a decade below the smallest value.
    let min = bars
        .iter()
        .map(|b| b.low.min(b.value))
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let log = min.is_finite() && max / min > 100.0;
    let floor = if log { 10f64.powf(min.log10().floor()) } else { 0.0 };
    let x = |v: f64| {
        let at = if log {
            (v.max(floor) / floor).ln() / (max / floor).ln()
        } else {
            v / max
        };
        label_w + plot_w * at.clamp(0.0, 1.0)
    };
    let title = if log {
        format!("{title} (log scale)")
    } else {
        title.to_string()
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="10" y="22" font-size="14" font-weight="bold">{}</text>"#,
        escape(&title)
    );
    // The legend: the engines the bars are coloured by, and the target line.
    let mut engines: Vec<&str> = Vec::new();
    for b in bars {
        if let Some(e) = b.engine.as_deref()
            && b.ok.is_none()
            && !engines.contains(&e)
        {
            engines.push(e);
        }
    }
    let mut legend_x = label_w;
    for e in &engines {
        let _ = writeln!(
            s,
            r#"<rect x="{legend_x}" y="28" width="10" height="10" fill="{}"/><text x="{}" y="37">{}</text>"#,
            engine_colour(e),
            legend_x + 14.0,
            escape(e)
        );
        legend_x += 90.0;
    }
    if bars.iter().any(|b| b.marker.is_some()) {
        let _ = writeln!(
            s,
            r#"<text x="{label_w}" y="37">dashed line: the target (≤: at most, ≥: at least); green met, red missed</text>"#
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let fill = match b.ok {
            Some(true) => "#4c9a5b",
            Some(false) => "#c8553d",
            None => b.engine.as_deref().map_or("#4e79a7", engine_colour),
        };
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            label_w - 8.0,
            y + 15.0,
            escape(&b.label)
        );
        let _ = writeln!(
            s,
            r#"<rect x="{label_w}" y="{}" width="{:.1}" height="{}" fill="{fill}"/>"#,
            y + 4.0,
            x(b.value) - label_w,
            row_h - 8.0
        );
        let (lo, hi, mid) = (x(b.low), x(b.high), y + row_h / 2.0);
        let _ = writeln!(
            s,
            r#"<path d="M{lo:.1} {mid} H{hi:.1} M{lo:.1} {} V{} M{hi:.1} {} V{}" stroke="black" fill="none"/>"#,
            mid - 4.0,
            mid + 4.0,
            mid - 4.0,
            mid + 4.0
        );
        if let Some(m) = b.marker {
            let mx = x(m);
            let _ = writeln!(
                s,
                r#"<path d="M{mx:.1} {} V{}" stroke="black" stroke-width="2" stroke-dasharray="3 2"/>"#,
                y + 1.0,
                y + row_h - 1.0
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{}">{} {unit}</text>"#,
            hi.max(x(b.value)) + 6.0,
            y + 15.0,
            number(b.value)
        );
    }
    let axis_y = top + row_h * bars.len() as f64 + 4.0;
    let _ = writeln!(
        s,
        r#"<path d="M{label_w} {axis_y} H{}" stroke="gray"/><text x="{label_w}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{} {unit}</text>"#,
        label_w + plot_w,
        axis_y + 16.0,
        number(floor),
        label_w + plot_w,
        axis_y + 16.0,
        number(max)
    );
    s.push_str("</svg>\n");
    s
}

pub(super) fn number(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}
