//! This run against the previous committed one (the `perf.json` it replaces): each bench
//! both measured whose confidence intervals no longer overlap, and which way it moved.

use super::*;

/// A bench that moved beyond both runs' intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub id: String,
    pub before_ns: f64,
    pub now_ns: f64,
    /// now / before.
    pub ratio: f64,
}

impl Perf<'_> {
    /// The benches of the previous run that moved beyond the intervals, and how many
    /// both runs measured.
    pub fn since_previous(&self) -> Option<(Vec<Moved>, usize)> {
        let previous = self.previous?["benches"].as_array()?;
        let mut moved = Vec::new();
        let mut compared = 0;
        for before in previous {
            let Some(id) = before["id"].as_str() else { continue };
            let Some(now) = self.get(id) else { continue };
            let (Some(ns), Some(lower), Some(upper)) = (
                before["ns"].as_f64(),
                before["lower_ns"].as_f64(),
                before["upper_ns"].as_f64(),
            ) else {
                continue;
            };
            compared += 1;
            if now.upper < lower || now.lower > upper {
                moved.push(Moved {
                    id: id.to_string(),
                    before_ns: ns,
                    now_ns: now.ns,
                    ratio: now.ns / ns,
                });
            }
        }
        Some((moved, compared))
    }

    /// The Markdown section: what moved, faster first.
    pub(super) fn previous_section(&self) -> String {
        let mut o = String::from("## Since the previous committed run\n\n");
        let Some((mut moved, compared)) = self.since_previous() else {
            o.push_str("No previous run to compare with.\n");
            return o;
        };
        let when = self
            .previous
            .and_then(|p| p["generated"].as_str())
            .unwrap_or("an earlier run");
        moved.sort_by(|a, b| a.ratio.total_cmp(&b.ratio));
        let _ = writeln!(
            o,
            "Against the run of {when}: {} of {compared} benches moved beyond both confidence intervals (times per iteration; below 1× is faster).\n",
            moved.len()
        );
        if !moved.is_empty() {
            let _ = writeln!(o, "| bench | before | now | now / before |");
            let _ = writeln!(o, "|---|---|---|---|");
            for m in &moved {
                let (bs, bu) = time_unit(m.before_ns);
                let (ns, nu) = time_unit(m.now_ns);
                let _ = writeln!(
                    o,
                    "| {} | {:.3} {bu} | {:.3} {nu} | {:.2}× |",
                    m.id,
                    m.before_ns / bs,
                    m.now_ns / ns,
                    m.ratio
                );
            }
        }
        o
    }
}
