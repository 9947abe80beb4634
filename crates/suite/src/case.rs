//! A conformance case file is a scenario plus a header saying what the case is about: the
//! rules, hostcalls and callbacks it checks, the ABI versions it runs under and how its
//! module is built. The header is the suite's; the scenario crate reads the rest.

use serde::Deserialize;

/// The suite's keys at the top of a case file, beside the scenario's.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseHeader {
    /// The lifecycle rule ids (`spec/rules.yaml`) the case checks.
    #[serde(default)]
    pub rules: Vec<String>,
    /// The hostcalls the case checks.
    #[serde(default)]
    pub hostcalls: Vec<String>,
    /// The callbacks the case checks.
    #[serde(default)]
    pub callbacks: Vec<String>,
    /// The ABI versions the case runs under (the runner adds the marker export for each).
    #[serde(default)]
    pub abi: Vec<pwconf_abi::AbiVersion>,
    /// `false` when the module's ABI marker is part of what the case checks (rule L1): the
    /// runner then adds none and the module may export its own.
    #[serde(default = "default_true")]
    pub add_marker: bool,
    /// A prebuilt module (relative path) instead of `<case>.wat`.
    #[serde(default)]
    pub module: Option<String>,
}

impl CaseHeader {
    /// The header's keys, which the scenario parser leaves to the suite.
    pub const KEYS: [&'static str; 6] = ["rules", "hostcalls", "callbacks", "abi", "add_marker", "module"];
}

fn default_true() -> bool {
    true
}

/// Reads the header of a case file (other keys are the scenario's and are skipped here);
/// an error is `(YAML path, message)`.
pub(crate) fn parse_header(text: &str) -> Result<CaseHeader, String> {
    let de = serde_yaml_ng::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        if path.is_empty() || path == "." {
            message
        } else {
            format!("{path}: {message}")
        }
    })
}
