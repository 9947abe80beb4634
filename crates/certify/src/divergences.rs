//! A host's declared divergences (`hosts/<name>/divergences.yaml`): cases known to fail on
//! it, each with its reason. An entry naming no case is an error when the file is read; an
//! entry whose trial passes is stale and fails the run (as `conformance/divergences.yaml`
//! does for the reference host).

use std::path::Path;

use pwconf_abi::AbiVersion;
use pwconf_suite::Suite;
use serde::{Deserialize, Serialize};

/// One declared divergence.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HostDivergence {
    /// `<area>/<case>`.
    pub case: String,
    /// Only on this runtime (all when absent).
    #[serde(default)]
    pub runtime: Option<String>,
    /// Only under this ABI version (all when absent).
    #[serde(default)]
    pub abi: Option<String>,
    /// Why the host differs, and whether the host or the spec is at fault.
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    divergences: Vec<HostDivergence>,
}

/// Every declared divergence of a host.
#[derive(Debug, Clone, Default)]
pub struct HostDivergences {
    pub entries: Vec<HostDivergence>,
}

impl HostDivergences {
    /// Reads `path` (a missing file declares none).
    ///
    /// # Errors
    /// The file is not valid, or an entry names a case the suite does not have or an
    /// unknown ABI version (the message names the file and the entry).
    pub fn load(path: &Path, suite: &Suite) -> Result<HostDivergences, String> {
        let shown = path.display();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HostDivergences::default()),
            Err(e) => return Err(format!("{shown}: {e}")),
        };
        let file: File = serde_yaml_ng::from_str(&text).map_err(|e| format!("{shown}: {e}"))?;
        let mut problems = Vec::new();
        for d in &file.divergences {
            if !suite.cases.iter().any(|c| c.id() == d.case) {
                problems.push(format!("{shown}: divergence names no case: {}", d.case));
            }
            if let Some(abi) = &d.abi
                && abi.parse::<AbiVersion>().is_err()
            {
                problems.push(format!("{shown}: {}: unknown ABI version {abi}", d.case));
            }
        }
        if problems.is_empty() {
            Ok(HostDivergences {
                entries: file.divergences,
            })
        } else {
            Err(problems.join("\n"))
        }
    }

    /// The entry covering a trial.
    pub fn find(&self, case: &str, runtime: &str, abi: AbiVersion) -> Option<&HostDivergence> {
        self.entries.iter().find(|d| {
            d.case == case
                && d.runtime.as_deref().is_none_or(|r| r == runtime)
                && d.abi.as_deref().is_none_or(|a| a == abi.as_str())
        })
    }
}
