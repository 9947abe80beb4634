//! The Proxy-Wasm ABI as data: the typed model of the YAML files under `spec/`,
//! how they are loaded, and the checks that keep them consistent.
//!
//! The files are embedded at build time (`include_str!`), so the binary needs nothing
//! beside it. Every error names the file and the key path inside it.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::version::AbiVersion;

mod model;
mod validate;

pub use model::*;

/// One spec file: its path relative to the repository root and its text.
#[derive(Debug, Clone, Copy)]
pub struct SpecFile {
    pub path: &'static str,
    pub text: &'static str,
}

/// The spec files compiled into this build, in load order.
pub const EMBEDDED_FILES: &[SpecFile] = &[
    SpecFile {
        path: "spec/versions.yaml",
        text: include_str!("../../../../spec/versions.yaml"),
    },
    SpecFile {
        path: "spec/enums.yaml",
        text: include_str!("../../../../spec/enums.yaml"),
    },
    SpecFile {
        path: "spec/hostcalls.yaml",
        text: include_str!("../../../../spec/hostcalls.yaml"),
    },
    SpecFile {
        path: "spec/wasi.yaml",
        text: include_str!("../../../../spec/wasi.yaml"),
    },
    SpecFile {
        path: "spec/callbacks.yaml",
        text: include_str!("../../../../spec/callbacks.yaml"),
    },
    SpecFile {
        path: "spec/rules.yaml",
        text: include_str!("../../../../spec/rules.yaml"),
    },
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionsFile {
    versions: Vec<VersionEntry>,
    unsupported_markers: Vec<UnsupportedMarker>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HostcallsFile {
    hostcalls: Vec<Hostcall>,
    #[serde(default)]
    phases: Option<crate::phases::Phases>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CallbacksFile {
    callbacks: Vec<Callback>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnumsFile {
    enums: Vec<AbiEnum>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    groups: Vec<RuleGroup>,
    rules: Vec<Rule>,
}

/// One problem found in a spec file: the file, the key path inside it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecIssue {
    pub file: String,
    pub key: String,
    pub message: String,
}

impl fmt::Display for SpecIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() || self.key == "." {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.key, self.message)
        }
    }
}

/// Every problem found while loading the spec (all of them, not only the first).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct SpecError {
    pub issues: Vec<SpecIssue>,
}

/// The whole ABI as loaded from `spec/`.
#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    pub versions: Vec<VersionEntry>,
    pub unsupported_markers: Vec<UnsupportedMarker>,
    pub hostcalls: Vec<Hostcall>,
    pub callbacks: Vec<Callback>,
    pub enums: Vec<AbiEnum>,
    pub rule_groups: Vec<RuleGroup>,
    pub rules: Vec<Rule>,
    /// Which hostcalls start-up code and allocators may call (`spec/hostcalls.yaml`).
    #[serde(skip)]
    pub phases: crate::phases::Phases,
    /// Which file each hostcall came from (index-aligned with `hostcalls`).
    #[serde(skip)]
    hostcall_files: Vec<&'static str>,
}

impl Spec {
    /// The spec embedded in this build. It is checked by the test suite
    /// (`embedded_spec_is_valid`), so a failure here is a build defect, not bad input.
    pub fn embedded() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| match Spec::load(EMBEDDED_FILES) {
            Ok(spec) => spec,
            // The embedded files are part of the binary; `cargo test` rejects an invalid set.
            Err(err) => panic!("the spec embedded in this build is invalid:\n{err}"),
        })
    }

    /// Loads and validates a set of spec files. Files are recognised by their file name
    /// (`versions.yaml`, `enums.yaml`, `hostcalls.yaml`, `wasi.yaml`, `callbacks.yaml`,
    /// `rules.yaml`); all problems in all files are reported together.
    pub fn load(files: &[SpecFile]) -> Result<Spec, SpecError> {
        let mut issues = Vec::new();
        let mut spec = Spec {
            versions: Vec::new(),
            unsupported_markers: Vec::new(),
            hostcalls: Vec::new(),
            callbacks: Vec::new(),
            enums: Vec::new(),
            rule_groups: Vec::new(),
            rules: Vec::new(),
            phases: crate::phases::Phases::default(),
            hostcall_files: Vec::new(),
        };
        let mut callback_file = "spec/callbacks.yaml";
        let mut rules_file = "spec/rules.yaml";
        let mut enums_file = "spec/enums.yaml";
        let mut versions_file = "spec/versions.yaml";
        for file in files {
            let base = file.path.rsplit('/').next().unwrap_or(file.path);
            match base {
                "versions.yaml" => {
                    versions_file = file.path;
                    if let Some(v) = parse::<VersionsFile>(file, &mut issues) {
                        spec.versions = v.versions;
                        spec.unsupported_markers = v.unsupported_markers;
                    }
                }
                "enums.yaml" => {
                    enums_file = file.path;
                    if let Some(v) = parse::<EnumsFile>(file, &mut issues) {
                        spec.enums = v.enums;
                    }
                }
                "hostcalls.yaml" | "wasi.yaml" => {
                    if let Some(v) = parse::<HostcallsFile>(file, &mut issues) {
                        spec.hostcall_files
                            .extend(std::iter::repeat_n(file.path, v.hostcalls.len()));
                        spec.hostcalls.extend(v.hostcalls);
                        if let Some(phases) = v.phases {
                            spec.phases = phases;
                        }
                    }
                }
                "callbacks.yaml" => {
                    callback_file = file.path;
                    if let Some(v) = parse::<CallbacksFile>(file, &mut issues) {
                        spec.callbacks = v.callbacks;
                    }
                }
                "rules.yaml" => {
                    rules_file = file.path;
                    if let Some(v) = parse::<RulesFile>(file, &mut issues) {
                        spec.rule_groups = v.groups;
                        spec.rules = v.rules;
                    }
                }
                _ => issues.push(SpecIssue {
                    file: file.path.to_string(),
                    key: String::new(),
                    message: "not a known spec file name".to_string(),
                }),
            }
        }
        if issues.is_empty() {
            let files = Files {
                versions: versions_file,
                enums: enums_file,
                callbacks: callback_file,
                rules: rules_file,
            };
            spec.validate(&files, &mut issues);
        }
        if issues.is_empty() {
            Ok(spec)
        } else {
            Err(SpecError { issues })
        }
    }

    /// The enum with this short name (`status`, `map_type`, ...).
    pub fn enum_named(&self, name: &str) -> Option<&AbiEnum> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// The hostcalls a module of `version` may import (spec and host extras alike).
    pub fn hostcalls_for(&self, version: AbiVersion) -> impl Iterator<Item = &Hostcall> {
        self.hostcalls
            .iter()
            .filter(move |h| h.versions.contains(&version))
    }

    /// The hostcall with this import module and name, whatever its versions.
    pub fn hostcall(&self, module: &str, name: &str) -> Option<&Hostcall> {
        self.hostcalls
            .iter()
            .find(|h| h.name == name && (h.module == module || h.aliases.iter().any(|a| a == module)))
    }

    /// The callbacks a module of `version` may export.
    pub fn callbacks_for(&self, version: AbiVersion) -> impl Iterator<Item = &Callback> {
        self.callbacks
            .iter()
            .filter(move |c| c.versions.contains(&version))
    }

    pub fn callback(&self, name: &str) -> Option<&Callback> {
        self.callbacks.iter().find(|c| c.name == name)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The figures the spec's text gives per version: `env.proxy_*` hostcalls, `proxy_on_*`
    /// event callbacks (allocator excluded) and the spec's WASI functions.
    pub fn counts(&self, version: AbiVersion) -> Counts {
        let hostcalls = self
            .hostcalls_for(version)
            .filter(|h| h.module == "env" && h.origin == Origin::Spec)
            .count();
        let callbacks = self
            .callbacks_for(version)
            .filter(|c| c.kind == CallbackKind::Event && c.origin == Origin::Spec)
            .count();
        let wasi = self
            .hostcalls_for(version)
            .filter(|h| h.module == "wasi_snapshot_preview1" && h.origin == Origin::Spec)
            .count();
        Counts {
            hostcalls,
            callbacks,
            wasi,
        }
    }

    /// Rules by group prefix, in file order.
    pub fn rules_by_group(&self) -> BTreeMap<&str, Vec<&Rule>> {
        let mut map: BTreeMap<&str, Vec<&Rule>> = BTreeMap::new();
        for r in &self.rules {
            if let Some(p) = rule_prefix(&r.id) {
                map.entry(p).or_default().push(r);
            }
        }
        map
    }
}

struct Files {
    versions: &'static str,
    enums: &'static str,
    callbacks: &'static str,
    rules: &'static str,
}

fn parse<T: serde::de::DeserializeOwned>(file: &SpecFile, issues: &mut Vec<SpecIssue>) -> Option<T> {
    let de = serde_yaml_ng::Deserializer::from_str(file.text);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Some(v),
        Err(err) => {
            let key = err.path().to_string();
            let inner = err.into_inner();
            let at = inner
                .location()
                .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
                .unwrap_or_default();
            issues.push(SpecIssue {
                file: file.path.to_string(),
                key,
                message: format!("{inner}{at}"),
            });
            None
        }
    }
}
