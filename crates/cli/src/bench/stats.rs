//! The statistics of `pwconf bench`: order statistics with distribution-free confidence
//! intervals, and the comparison of two runs that says what moved beyond them.
//!
//! Hand-written rather than taken from criterion: criterion measures closures it drives
//! itself and keeps its estimates in its own folder; here a sample is one request or one
//! VM start timed by the caller, and the intervals of a quantile need only the sorted
//! samples (the binomial interval of an order statistic, no resampling, no model).

use serde::{Deserialize, Serialize};

/// A value and its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// Which way is better for a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Lower,
    Higher,
}

/// One measured quantity of one engine: its samples summarised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// `compile`, `artifact_load`, `vm_start_cold`, `vm_copy_warm`, `request`,
    /// `requests_per_second_<n>_workers`, `memory_per_vm_copy`.
    pub name: String,
    /// `ns`, `requests/s` or `bytes`.
    pub unit: String,
    pub better: Better,
    pub samples: usize,
    pub min: f64,
    pub max: f64,
    pub median: Estimate,
    pub p90: Estimate,
    pub p99: Estimate,
}

/// z of a two-sided 95% interval.
const Z95: f64 = 1.96;

/// The `q`-quantile of sorted samples with its 95% interval: the order statistics whose
/// ranks bound the binomial count of samples below the true quantile (normal
/// approximation of the binomial; exact enough from a few dozen samples, and an honest
/// min..max for fewer).
pub fn quantile(sorted: &[f64], q: f64) -> Estimate {
    let n = sorted.len();
    if n == 0 {
        return Estimate {
            value: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let last = n - 1;
    let at = |rank: f64| sorted[(rank.max(0.0) as usize).min(last)];
    let value = at((last as f64 * q).round());
    let nf = n as f64;
    let spread = Z95 * (nf * q * (1.0 - q)).sqrt();
    let (low, high) = if n < 5 {
        (sorted[0], sorted[last])
    } else {
        (at((nf * q - spread).floor() - 1.0), at((nf * q + spread).ceil()))
    };
    Estimate {
        value,
        low: low.min(value),
        high: high.max(value),
    }
}

/// Summarises samples (in any order; NaNs dropped).
pub fn summarize(name: &str, unit: &str, better: Better, mut samples: Vec<f64>) -> Metric {
    samples.retain(|s| !s.is_nan());
    samples.sort_by(f64::total_cmp);
    Metric {
        name: name.to_string(),
        unit: unit.to_string(),
        better,
        samples: samples.len(),
        min: samples.first().copied().unwrap_or(f64::NAN),
        max: samples.last().copied().unwrap_or(f64::NAN),
        median: quantile(&samples, 0.5),
        p90: quantile(&samples, 0.9),
        p99: quantile(&samples, 0.99),
    }
}

/// What a metric did between a baseline run and this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The median's intervals are apart, the better way.
    Improved,
    /// Apart, the worse way.
    Regressed,
    /// The intervals overlap: no change beyond noise.
    Unchanged,
}

/// One metric of one engine, compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub engine: String,
    pub metric: String,
    pub unit: String,
    pub baseline: Estimate,
    pub current: Estimate,
    /// current / baseline of the medians.
    pub ratio: f64,
    pub verdict: Verdict,
}

/// Compares two medians: a change only when their 95% intervals do not overlap.
pub fn compare(engine: &str, baseline: &Metric, current: &Metric) -> Change {
    let (b, c) = (baseline.median, current.median);
    let verdict = if c.high < b.low || c.low > b.high {
        let went_down = c.value < b.value;
        if went_down == (current.better == Better::Lower) {
            Verdict::Improved
        } else {
            Verdict::Regressed
        }
    } else {
        Verdict::Unchanged
    };
    Change {
        engine: engine.to_string(),
        metric: current.name.clone(),
        unit: current.unit.clone(),
        baseline: b,
        current: c,
        ratio: c.value / b.value,
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(better: Better, samples: Vec<f64>) -> Metric {
        summarize("request", "ns", better, samples)
    }

    #[test]
    fn quantiles_of_a_known_sample_and_their_intervals_contain_them() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let m = metric(Better::Lower, samples);
        assert_eq!((m.min, m.max, m.samples), (1.0, 100.0, 100));
        assert_eq!(m.median.value, 51.0);
        assert_eq!(m.p90.value, 90.0);
        assert_eq!(m.p99.value, 99.0);
        // The binomial interval of the median of 100 samples spans about ±10 ranks.
        assert!((39.0..=42.0).contains(&m.median.low), "{:?}", m.median);
        assert!((60.0..=62.0).contains(&m.median.high), "{:?}", m.median);
        for e in [m.median, m.p90, m.p99] {
            assert!(e.low <= e.value && e.value <= e.high, "{e:?}");
        }
    }

    #[test]
    fn few_samples_give_the_whole_range_as_interval() {
        let m = metric(Better::Lower, vec![3.0, 1.0, 2.0]);
        assert_eq!(
            m.median,
            Estimate {
                value: 2.0,
                low: 1.0,
                high: 3.0
            }
        );
    }

    #[test]
    fn a_shift_beyond_the_intervals_is_a_change_the_right_way() {
        let base = metric(Better::Lower, (0..50).map(|i| 1000.0 + f64::from(i)).collect());
        let slower = metric(Better::Lower, (0..50).map(|i| 2000.0 + f64::from(i)).collect());
        let change = compare("wasmi", &base, &slower);
        assert_eq!(change.verdict, Verdict::Regressed);
        assert!((change.ratio - 2.0).abs() < 0.05, "{change:?}");
        assert_eq!(compare("wasmi", &slower, &base).verdict, Verdict::Improved);
        // Higher is better for a rate: the same shift is an improvement.
        let rate_base = metric(Better::Higher, base.median_samples());
        let rate_now = metric(Better::Higher, slower.median_samples());
        assert_eq!(compare("wasmi", &rate_base, &rate_now).verdict, Verdict::Improved);
    }

    #[test]
    fn overlapping_intervals_are_no_change() {
        let a = metric(Better::Lower, (0..50).map(|i| 1000.0 + f64::from(i)).collect());
        let b = metric(Better::Lower, (0..50).map(|i| 1005.0 + f64::from(i)).collect());
        let change = compare("wasmtime", &a, &b);
        assert_eq!(change.verdict, Verdict::Unchanged, "{change:?}");
    }

    impl Metric {
        /// Samples that reproduce this metric's median interval (for the rate test).
        fn median_samples(&self) -> Vec<f64> {
            (0..50).map(|i| self.median.low + f64::from(i)).collect()
        }
    }
}
