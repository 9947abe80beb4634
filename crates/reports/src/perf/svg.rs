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
        for (_, bars) in &mut groups {
            bars.sort_by(|a, b| a.0.cmp(&b.0));
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
            let title = format!("{group}: time per iteration ({unit}), with confidence interval");
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
                    label: format!("{} {}", r.engine, short(r)),
                    value: v,
                    low,
                    high,
                    marker: Some(r.target),
                    ok: r.met(),
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
    /// Colours the bar: met (green), missed (red), or neutral.
    ok: Option<bool>,
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
    let (label_w, plot_w, row_h, top) = (300.0, 460.0, 22.0, 40.0);
    let height = top + row_h * bars.len() as f64 + 30.0;
    let width = label_w + plot_w + 90.0;
    let max = bars
        .iter()
        .map(|b| b.high.max(b.marker.unwrap_or(0.0)))
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let x = |v: f64| label_w + plot_w * (v / max).clamp(0.0, 1.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="10" y="22" font-size="14" font-weight="bold">{}</text>"#,
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let fill = match b.ok {
            Some(true) => "#4c9a5b",
            Some(false) => "#c8553d",
            None => "#4e79a7",
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
        r#"<path d="M{label_w} {axis_y} H{}" stroke="gray"/><text x="{label_w}" y="{}">0</text><text x="{}" y="{}" text-anchor="end">{} {unit}</text>"#,
        label_w + plot_w,
        axis_y + 16.0,
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
