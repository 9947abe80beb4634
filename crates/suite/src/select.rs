//! Choosing trials by name as `cargo test` and `cargo nextest` do: filters (substring, or
//! whole name with `--exact`), `--skip`, and nextest's partitions `count:I/N` and
//! `hash:I/N`. Conformance trials are named `<backend>::<area>::<case>::<abi>` and SDK
//! trials `<backend>::sdk::<module>::<scenario>`; a name printed by the runner is a name
//! these filters take.

use pwconf_abi::AbiVersion;

/// The name of a conformance trial, as printed and as `--filter` takes it.
pub fn trial_name(backend: &str, area: &str, case: &str, abi: AbiVersion) -> String {
    format!("{backend}::{area}::{case}::{abi}")
}

/// The name of a trial from its result's fields (`case` is `<area>/<case>`).
pub fn result_name(result: &crate::TrialResult) -> String {
    let case = result
        .case
        .split_once('/')
        .map_or(result.case.as_str(), |(_, c)| c);
    trial_name(&result.backend, &result.area, case, result.abi)
}

/// A shard of the selected trials, as nextest's `--partition` words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    /// Every N-th trial of the list, starting with the I-th (1-based).
    Count { index: u64, total: u64 },
    /// The trials whose name hashes to I (1-based) modulo N: stable when trials are added.
    Hash { index: u64, total: u64 },
}

/// A partition that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--partition {given}: {why} (expected count:I/N or hash:I/N, 1 <= I <= N)")]
pub struct BadPartition {
    pub given: String,
    pub why: String,
}

impl std::str::FromStr for Partition {
    type Err = BadPartition;

    fn from_str(text: &str) -> Result<Partition, BadPartition> {
        let bad = |why: &str| BadPartition {
            given: text.to_string(),
            why: why.to_string(),
        };
        let (kind, shard) = text.split_once(':').ok_or_else(|| bad("no kind"))?;
        let (i, n) = shard.split_once('/').ok_or_else(|| bad("no /"))?;
        let index: u64 = i.trim().parse().map_err(|_| bad("I is not a number"))?;
        let total: u64 = n.trim().parse().map_err(|_| bad("N is not a number"))?;
        if total == 0 || index == 0 || index > total {
            return Err(bad("I must be between 1 and N"));
        }
        match kind {
            "count" => Ok(Partition::Count { index, total }),
            "hash" => Ok(Partition::Hash { index, total }),
            other => Err(bad(&format!("unknown kind \"{other}\""))),
        }
    }
}

/// FNV-1a: a hash that every build and platform computes alike.
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Which trials to run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Run a trial when its name contains any of these (all trials when empty).
    pub filters: Vec<String>,
    /// Names it must not contain.
    pub skip: Vec<String>,
    /// Filters and skips match whole names.
    pub exact: bool,
    pub partition: Option<Partition>,
}

impl Selection {
    fn hits(&self, pattern: &str, name: &str) -> bool {
        if self.exact {
            name == pattern
        } else {
            name.contains(pattern)
        }
    }

    /// Whether a name passes the filters and skips (partitions apply to the whole list).
    pub fn matches(&self, name: &str) -> bool {
        (self.filters.is_empty() || self.filters.iter().any(|f| self.hits(f, name)))
            && !self.skip.iter().any(|s| self.hits(s, name))
    }

    /// The items whose names match, then the partition's share of them, in order.
    pub fn apply<T>(&self, items: Vec<T>, name: impl Fn(&T) -> &str) -> Vec<T> {
        let matching = items.into_iter().filter(|t| self.matches(name(t)));
        match self.partition {
            None => matching.collect(),
            Some(Partition::Count { index, total }) => matching
                .enumerate()
                .filter(|(k, _)| *k as u64 % total == index - 1)
                .map(|(_, t)| t)
                .collect(),
            Some(Partition::Hash { index, total }) => matching
                .filter(|t| stable_hash(name(t)) % total == index - 1)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        (1..=7)
            .map(|i| format!("wasmi::http::case{i}::0.2.1"))
            .chain(["wasmer::http::case1::0.2.1".to_string()])
            .collect()
    }

    fn pick(selection: &Selection) -> Vec<String> {
        selection.apply(names(), |n| n.as_str())
    }

    #[test]
    fn filters_skips_and_exact_names() {
        let all = Selection::default();
        assert_eq!(pick(&all).len(), 8);
        let some = Selection {
            filters: vec!["case1".into()],
            ..Selection::default()
        };
        assert_eq!(
            pick(&some),
            ["wasmi::http::case1::0.2.1", "wasmer::http::case1::0.2.1"]
        );
        let exact = Selection {
            filters: vec!["wasmi::http::case1::0.2.1".into(), "case2".into()],
            exact: true,
            ..Selection::default()
        };
        assert_eq!(pick(&exact), ["wasmi::http::case1::0.2.1"]);
        let skip = Selection {
            filters: vec!["case1".into()],
            skip: vec!["wasmer".into()],
            ..Selection::default()
        };
        assert_eq!(pick(&skip), ["wasmi::http::case1::0.2.1"]);
    }

    #[test]
    fn partitions_split_the_selection_without_overlap() {
        for kind in ["count", "hash"] {
            let mut seen = Vec::new();
            for i in 1..=3 {
                let selection = Selection {
                    partition: Some(format!("{kind}:{i}/3").parse().unwrap_or_else(|e| panic!("{e}"))),
                    ..Selection::default()
                };
                seen.extend(pick(&selection));
            }
            seen.sort();
            let mut all = names();
            all.sort();
            assert_eq!(seen, all, "{kind}: every trial in exactly one partition");
        }
        let first = Selection {
            partition: Some(Partition::Count { index: 1, total: 3 }),
            ..Selection::default()
        };
        assert_eq!(
            pick(&first),
            [
                "wasmi::http::case1::0.2.1",
                "wasmi::http::case4::0.2.1",
                "wasmi::http::case7::0.2.1"
            ]
        );
        for bad in [
            "1/3",
            "count:0/3",
            "count:4/3",
            "slice:1/2",
            "count:a/2",
            "hash:1/0",
        ] {
            let err = bad.parse::<Partition>().err().map(|e| e.to_string());
            assert!(
                err.as_deref()
                    .is_some_and(|e| e.contains(bad) && e.contains("count:I/N")),
                "{bad}: {err:?}"
            );
        }
    }
}
