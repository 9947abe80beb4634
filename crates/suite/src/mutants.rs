//! The mutation report of the host: reads what cargo-mutants wrote (`caught.txt`,
//! `missed.txt`, `timeout.txt`, `unviable.txt` in each shard's output folder), sets the
//! missed mutants that `conformance/mutants-equivalent.yaml` explains apart, and renders
//! `reports/mutants.md` and `.json`. An equivalence entry of a covered file that explains
//! no missed mutant of this run is stale (the mutant is gone or now caught) and fails.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// One mutant as cargo-mutants names it: `file:line:column: mutation`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Mutant {
    pub file: String,
    pub line: u32,
    pub mutation: String,
}

impl Mutant {
    /// Parses one line of cargo-mutants' `*.txt` lists.
    pub fn parse(line: &str) -> Option<Mutant> {
        let mut parts = line.splitn(4, ':');
        let file = parts.next()?.trim();
        let line_no = parts.next()?.trim().parse().ok()?;
        let _column: u32 = parts.next()?.trim().parse().ok()?;
        let mutation = parts.next()?.trim();
        (!file.is_empty() && !mutation.is_empty()).then(|| Mutant {
            file: file.to_string(),
            line: line_no,
            mutation: mutation.to_string(),
        })
    }
}

/// A missed mutant that cannot change behaviour, with the reason. Matched on file and
/// mutation text (lines move as code changes); one entry explains every mutant of its
/// file with that text.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Equivalent {
    pub file: String,
    pub mutation: String,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EquivalentsFile {
    #[serde(default)]
    equivalent: Vec<Equivalent>,
}

/// Reads `conformance/mutants-equivalent.yaml` (a missing file lists nothing).
///
/// # Errors
/// Unreadable or malformed YAML, or an entry without a reason.
pub fn load_equivalents(path: &Path) -> Result<Vec<Equivalent>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let file: EquivalentsFile =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(e) = file.equivalent.iter().find(|e| e.reason.trim().is_empty()) {
        return Err(format!(
            "{}: the entry for {} \"{}\" gives no reason",
            path.display(),
            e.file,
            e.mutation
        ));
    }
    Ok(file.equivalent)
}

/// What one or more cargo-mutants runs found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcomes {
    pub caught: Vec<Mutant>,
    pub missed: Vec<Mutant>,
    pub timeout: Vec<Mutant>,
    pub unviable: Vec<Mutant>,
}

impl Outcomes {
    /// Adds the lists of one cargo-mutants output folder (`mutants.out`).
    ///
    /// # Errors
    /// A folder without `outcomes.json` (the run did not finish) or an unreadable list.
    pub fn add_run(&mut self, dir: &Path) -> Result<(), String> {
        if !dir.join("outcomes.json").is_file() {
            return Err(format!(
                "{}: no outcomes.json (the run did not finish)",
                dir.display()
            ));
        }
        for (name, list) in [
            ("caught.txt", &mut self.caught),
            ("missed.txt", &mut self.missed),
            ("timeout.txt", &mut self.timeout),
            ("unviable.txt", &mut self.unviable),
        ] {
            let path = dir.join(name);
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(format!("{}: {e}", path.display())),
            };
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                list.push(
                    Mutant::parse(line).ok_or_else(|| format!("{}: not a mutant: {line}", path.display()))?,
                );
            }
            list.sort();
            list.dedup();
        }
        Ok(())
    }
}

/// Counts of one file (or of the whole run).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Tally {
    pub mutants: usize,
    pub caught: usize,
    pub missed: usize,
    pub equivalent: usize,
    pub timeouts: usize,
    pub unviable: usize,
    /// Caught (a timeout counts: the suite did not pass) over viable mutants that are not
    /// equivalent, in percent; `None` when there are none.
    pub kill_rate: Option<f64>,
}

impl Tally {
    fn finish(&mut self) {
        let viable = self.caught + self.timeouts + self.missed;
        self.kill_rate = (viable > 0).then(|| 100.0 * (self.caught + self.timeouts) as f64 / viable as f64);
    }
}

/// A missed mutant with the entry that explains it.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    #[serde(flatten)]
    pub mutant: Mutant,
    pub reason: String,
}

/// The report of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// What the run covered: the files mutated, or `all of crates/host`.
    pub scope: Vec<String>,
    /// Whether the run covered every mutant of the host (no file filter, no diff, every shard).
    pub full: bool,
    pub total: Tally,
    pub files: BTreeMap<String, Tally>,
    pub missed: Vec<Mutant>,
    pub equivalent: Vec<Explained>,
    pub timeouts: Vec<Mutant>,
    pub unviable: Vec<Mutant>,
    /// Entries of covered files that explain no missed mutant of this run.
    pub stale: Vec<Equivalent>,
}

impl Report {
    /// Sorts the outcomes by file and sets equivalents apart. `covered(file)` says whether
    /// the run mutated that file, which decides whether its entries can be stale.
    pub fn new(
        outcomes: &Outcomes,
        equivalents: &[Equivalent],
        scope: Vec<String>,
        full: bool,
        covered: impl Fn(&str) -> bool,
    ) -> Report {
        let mut files: BTreeMap<String, Tally> = BTreeMap::new();
        let mut tally = |m: &Mutant, f: fn(&mut Tally)| f(files.entry(m.file.clone()).or_default());
        let explains = |e: &Equivalent, m: &Mutant| e.file == m.file && e.mutation == m.mutation;
        let mut missed = Vec::new();
        let mut equivalent = Vec::new();
        for m in &outcomes.caught {
            tally(m, |t| t.caught += 1);
        }
        for m in &outcomes.timeout {
            tally(m, |t| t.timeouts += 1);
        }
        for m in &outcomes.unviable {
            tally(m, |t| t.unviable += 1);
        }
        for m in &outcomes.missed {
            match equivalents.iter().find(|e| explains(e, m)) {
                Some(e) => {
                    tally(m, |t| t.equivalent += 1);
                    equivalent.push(Explained {
                        mutant: m.clone(),
                        reason: e.reason.clone(),
                    });
                }
                None => {
                    tally(m, |t| t.missed += 1);
                    missed.push(m.clone());
                }
            }
        }
        let stale = equivalents
            .iter()
            .filter(|e| covered(&e.file) && !outcomes.missed.iter().any(|m| explains(e, m)))
            .cloned()
            .collect();
        let mut total = Tally::default();
        for t in files.values_mut() {
            t.mutants = t.caught + t.missed + t.equivalent + t.timeouts + t.unviable;
            t.finish();
            total.mutants += t.mutants;
            total.caught += t.caught;
            total.missed += t.missed;
            total.equivalent += t.equivalent;
            total.timeouts += t.timeouts;
            total.unviable += t.unviable;
        }
        total.finish();
        Report {
            scope,
            full,
            total,
            files,
            missed,
            equivalent,
            timeouts: outcomes.timeout.clone(),
            unviable: outcomes.unviable.clone(),
            stale,
        }
    }

    /// The problems that fail a run: unexplained missed mutants and stale entries.
    pub fn problems(&self) -> Vec<String> {
        let missed = self
            .missed
            .iter()
            .map(|m| format!("missed: {}:{}: {}", m.file, m.line, m.mutation));
        let stale = self.stale.iter().map(|e| {
            format!(
                "stale entry in conformance/mutants-equivalent.yaml: {} \"{}\" (no such missed mutant: it is gone or now caught)",
                e.file, e.mutation
            )
        });
        missed.chain(stale).collect()
    }

    /// `reports/mutants.md`.
    pub fn markdown(&self, header: &str) -> String {
        let rate = |t: &Tally| t.kill_rate.map_or("-".to_string(), |r| format!("{r:.1}%"));
        let mut out = String::new();
        out.push_str("# Mutation testing of the host\n\n");
        out.push_str(header);
        out.push_str("\n\n");
        if self.full {
            out.push_str("**Full run**: every mutant cargo-mutants generates in `crates/host`.\n\n");
        } else {
            out.push_str(&format!(
                "**Partial run**, not a full one: it covered only {}. Figures below are for those files alone.\n\n",
                self.scope.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        out.push_str(
            "The kill rate counts caught mutants and timeouts (the suite did not pass) over viable mutants that are not \
             listed as equivalent in `conformance/mutants-equivalent.yaml`.\n\n",
        );
        out.push_str("| file | mutants | caught | missed | equivalent | timeouts | unviable | kill rate |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        let row = |name: &str, t: &Tally| {
            format!(
                "| {name} | {} | {} | {} | {} | {} | {} | {} |\n",
                t.mutants,
                t.caught,
                t.missed,
                t.equivalent,
                t.timeouts,
                t.unviable,
                rate(t)
            )
        };
        for (file, t) in &self.files {
            out.push_str(&row(&format!("`{file}`"), t));
        }
        out.push_str(&row("**total**", &self.total));
        let list = |out: &mut String, title: &str, items: Vec<String>| {
            out.push_str(&format!("\n## {title} ({})\n\n", items.len()));
            if items.is_empty() {
                out.push_str("None.\n");
            }
            for i in items {
                out.push_str(&format!("- {i}\n"));
            }
        };
        let named = |m: &Mutant| format!("`{}:{}`: {}", m.file, m.line, m.mutation);
        list(&mut out, "Missed", self.missed.iter().map(named).collect());
        list(
            &mut out,
            "Equivalent (explained)",
            self.equivalent
                .iter()
                .map(|e| format!("{}. {}", named(&e.mutant), e.reason))
                .collect(),
        );
        list(&mut out, "Timeouts", self.timeouts.iter().map(named).collect());
        list(
            &mut out,
            "Unviable (do not build)",
            self.unviable.iter().map(named).collect(),
        );
        if !self.stale.is_empty() {
            list(
                &mut out,
                "Stale equivalence entries",
                self.stale
                    .iter()
                    .map(|e| format!("`{}`: {}", e.file, e.mutation))
                    .collect(),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(file: &str, line: u32, mutation: &str) -> Mutant {
        Mutant {
            file: file.into(),
            line,
            mutation: mutation.into(),
        }
    }

    #[test]
    fn a_mutant_line_parses() {
        assert_eq!(
            Mutant::parse("crates/host/src/pairs.rs:42:17: replace + with - in serialize"),
            Some(m("crates/host/src/pairs.rs", 42, "replace + with - in serialize"))
        );
        assert_eq!(
            Mutant::parse("a.rs:1:2: replace f -> Option<u32> with Some(0)").map(|m| m.mutation),
            Some("replace f -> Option<u32> with Some(0)".to_string())
        );
        assert_eq!(Mutant::parse("no location"), None);
    }

    #[test]
    fn equivalents_explain_misses_and_stale_entries_are_named() {
        let outcomes = Outcomes {
            caught: vec![m("a.rs", 1, "replace f with g"), m("b.rs", 3, "delete !")],
            missed: vec![
                m("a.rs", 5, "replace < with <="),
                m("a.rs", 9, "replace h -> bool with true"),
            ],
            timeout: vec![m("a.rs", 7, "replace += with -=")],
            unviable: vec![m("a.rs", 8, "replace k -> Vec<u8> with vec![]")],
        };
        let eq = |file: &str, mutation: &str| Equivalent {
            file: file.into(),
            mutation: mutation.into(),
            reason: "why".into(),
        };
        let entries = [
            eq("a.rs", "replace < with <="),
            eq("a.rs", "replace f with g"),
            eq("c.rs", "gone"),
        ];
        let report = Report::new(
            &outcomes,
            &entries,
            vec!["a.rs".into(), "b.rs".into()],
            false,
            |f| f != "c.rs",
        );
        let a = &report.files["a.rs"];
        assert_eq!(
            (
                a.mutants,
                a.caught,
                a.missed,
                a.equivalent,
                a.timeouts,
                a.unviable
            ),
            (5, 1, 1, 1, 1, 1)
        );
        assert_eq!(a.kill_rate, Some(200.0 / 3.0));
        assert_eq!(report.total.mutants, 6);
        assert_eq!(report.missed, [m("a.rs", 9, "replace h -> bool with true")]);
        // caught now, so its entry is stale; c.rs was not covered, so its entry is not checked
        assert_eq!(report.stale, [eq("a.rs", "replace f with g")]);
        assert_eq!(report.problems().len(), 2);
        let md = report.markdown("header");
        assert!(md.contains("**Partial run**, not a full one: it covered only `a.rs`, `b.rs`"));
        assert!(md.contains("| `a.rs` | 5 | 1 | 1 | 1 | 1 | 1 | 66.7% |"));
        assert!(md.contains("- `a.rs:9`: replace h -> bool with true"));
        assert!(md.contains("## Stale equivalence entries (1)"));
    }
}
