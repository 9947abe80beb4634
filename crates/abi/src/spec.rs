//! The Proxy-Wasm ABI as data: the typed model of the YAML files under `spec/`,
//! how they are loaded, and the checks that keep them consistent.
//!
//! The files are embedded at build time (`include_str!`), so the binary needs nothing
//! beside it. Every error names the file and the key path inside it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::version::AbiVersion;

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
        text: include_str!("../../../spec/versions.yaml"),
    },
    SpecFile {
        path: "spec/enums.yaml",
        text: include_str!("../../../spec/enums.yaml"),
    },
    SpecFile {
        path: "spec/hostcalls.yaml",
        text: include_str!("../../../spec/hostcalls.yaml"),
    },
    SpecFile {
        path: "spec/wasi.yaml",
        text: include_str!("../../../spec/wasi.yaml"),
    },
    SpecFile {
        path: "spec/callbacks.yaml",
        text: include_str!("../../../spec/callbacks.yaml"),
    },
    SpecFile {
        path: "spec/rules.yaml",
        text: include_str!("../../../spec/rules.yaml"),
    },
];

/// A wasm value type as it appears in a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WasmType {
    I32,
    I64,
    F32,
    F64,
}

impl fmt::Display for WasmType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WasmType::I32 => "i32",
            WasmType::I64 => "i64",
            WasmType::F32 => "f32",
            WasmType::F64 => "f64",
        })
    }
}

/// Where a fact comes from: the written spec, or a host that goes beyond it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Stated by proxy-wasm/spec.
    #[default]
    Spec,
    /// Provided by proxy-wasm-cpp-host (Envoy's host) beyond the spec.
    CppHost,
    /// Provided by Envoy's embedding beyond the spec.
    Envoy,
}

impl Origin {
    fn is_spec(&self) -> bool {
        *self == Origin::Spec
    }
}

/// The functional areas; conformance cases are grouped in folders of the same names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Lifecycle,
    Buffers,
    HttpFields,
    HttpStream,
    TcpStream,
    StreamControl,
    HttpCallouts,
    Grpc,
    SharedData,
    SharedQueues,
    Timers,
    Metrics,
    Properties,
    ForeignFunctions,
    Logging,
    Memory,
    Wasi,
}

impl Area {
    pub fn name(&self) -> &'static str {
        match self {
            Area::Lifecycle => "lifecycle",
            Area::Buffers => "buffers",
            Area::HttpFields => "http_fields",
            Area::HttpStream => "http_stream",
            Area::TcpStream => "tcp_stream",
            Area::StreamControl => "stream_control",
            Area::HttpCallouts => "http_callouts",
            Area::Grpc => "grpc",
            Area::SharedData => "shared_data",
            Area::SharedQueues => "shared_queues",
            Area::Timers => "timers",
            Area::Metrics => "metrics",
            Area::Properties => "properties",
            Area::ForeignFunctions => "foreign_functions",
            Area::Logging => "logging",
            Area::Memory => "memory",
            Area::Wasi => "wasi",
        }
    }
}

/// A parameter or result of a hostcall or callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: WasmType,
    /// What the value means, in a few words (an enum name, "out-pointer to u32", ...).
    pub meaning: String,
    /// The first ABI version whose signature has this parameter (absent: every version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<AbiVersion>,
}

/// A function the host provides and the guest imports.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hostcall {
    pub name: String,
    /// Import module: `env` or `wasi_snapshot_preview1`.
    pub module: String,
    pub area: Area,
    pub versions: Vec<AbiVersion>,
    #[serde(default, skip_serializing_if = "Origin::is_spec")]
    pub origin: Origin,
    pub summary: String,
    pub params: Vec<Param>,
    pub results: Vec<Param>,
    /// Statuses the call documents (names of the `status` enum, or of `wasi_errno` for WASI).
    #[serde(default)]
    pub statuses: Vec<String>,
    /// Other import modules the same function is also offered under (e.g. `wasi_unstable`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// What kind of export a callback is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallbackKind {
    /// A `proxy_on_*` event callback.
    Event,
    /// A memory allocator the host calls to hand data to the guest.
    Allocator,
    /// A start-up entry point (`_initialize`, `_start`, `main`, ...).
    Startup,
}

/// A function the guest exports and the host calls.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Callback {
    pub name: String,
    pub kind: CallbackKind,
    pub area: Area,
    pub versions: Vec<AbiVersion>,
    #[serde(default, skip_serializing_if = "Origin::is_spec")]
    pub origin: Origin,
    pub summary: String,
    pub params: Vec<Param>,
    pub results: Vec<Param>,
    /// What the host assumes when the module does not export it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// One named value of an enum.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub name: String,
    pub value: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<AbiVersion>,
    #[serde(default, skip_serializing_if = "Origin::is_spec")]
    pub origin: Origin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An enum of the ABI (status, log level, ...).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbiEnum {
    /// Short name used across pwconf (`status`, `map_type`, ...).
    pub name: String,
    /// The spec's C-style name (`proxy_status_t`).
    pub c_name: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<AbiVersion>,
    pub values: Vec<EnumValue>,
}

/// How a lifecycle rule is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleTag {
    /// The spec states it.
    SpecStated,
    /// The spec is silent; cpp-host / Envoy behave so and SDK modules rely on it.
    DeFacto,
    /// The spec and cpp-host / Envoy disagree.
    Disputed,
}

/// A group of rules sharing an id prefix (L, R, C, ...).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleGroup {
    pub prefix: String,
    pub name: String,
}

/// A testable lifecycle rule with a stable id.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub tag: RuleTag,
    /// A detail of a spec-stated rule that is de-facto or disputed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_tag: Option<RuleTag>,
    pub statement: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hostcalls: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callbacks: Vec<String>,
    /// Set when pwconf cannot test the rule, with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub untestable: Option<String>,
}

/// A released ABI version and its marker export.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionEntry {
    pub version: AbiVersion,
    pub marker: String,
    pub status: String,
    pub released: String,
}

/// A marker that names a version no host accepts (vNEXT).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnsupportedMarker {
    pub marker: String,
    pub name: String,
    pub reason: String,
}

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

    fn validate(&self, files: &Files, issues: &mut Vec<SpecIssue>) {
        let mut push = |file: &str, key: String, message: String| {
            issues.push(SpecIssue {
                file: file.to_string(),
                key,
                message,
            })
        };

        // versions: each released version once, markers unique
        let mut seen_versions = HashMap::new();
        for (i, v) in self.versions.iter().enumerate() {
            if let Some(first) = seen_versions.insert(v.version, i) {
                push(
                    files.versions,
                    format!("versions[{i}].version"),
                    format!("duplicate version \"{}\" (first at versions[{first}])", v.version),
                );
            }
            if v.marker != v.version.marker() {
                push(
                    files.versions,
                    format!("versions[{i}].marker"),
                    format!("marker \"{}\" does not match version {}", v.marker, v.version),
                );
            }
        }
        for v in AbiVersion::ALL {
            if !seen_versions.contains_key(&v) {
                push(
                    files.versions,
                    "versions".into(),
                    format!("version {v} is missing"),
                );
            }
        }

        // enums: unique names, unique value names and numbers within an enum
        let mut enum_names = HashMap::new();
        for (i, e) in self.enums.iter().enumerate() {
            if let Some(first) = enum_names.insert(e.name.as_str(), i) {
                push(
                    files.enums,
                    format!("enums[{i}].name"),
                    format!("duplicate enum \"{}\" (first at enums[{first}])", e.name),
                );
            }
            let mut names = HashMap::new();
            let mut numbers = HashMap::new();
            for (j, v) in e.values.iter().enumerate() {
                if let Some(first) = names.insert(v.name.as_str(), j) {
                    push(
                        files.enums,
                        format!("enums[{i}].values[{j}].name"),
                        format!(
                            "duplicate value name \"{}\" in enum {} (first at values[{first}])",
                            v.name, e.name
                        ),
                    );
                }
                if let Some(first) = numbers.insert(v.value, j) {
                    push(
                        files.enums,
                        format!("enums[{i}].values[{j}].value"),
                        format!(
                            "duplicate value {} in enum {} (first at values[{first}])",
                            v.value, e.name
                        ),
                    );
                }
            }
        }
        let status_names: BTreeSet<&str> = self
            .enum_named("status")
            .map(|e| e.values.iter().map(|v| v.name.as_str()).collect())
            .unwrap_or_default();
        let errno_names: BTreeSet<&str> = self
            .enum_named("wasi_errno")
            .map(|e| e.values.iter().map(|v| v.name.as_str()).collect())
            .unwrap_or_default();
        for required in ["status", "wasi_errno"] {
            if self.enum_named(required).is_none() {
                push(
                    files.enums,
                    "enums".into(),
                    format!("enum \"{required}\" is missing"),
                );
            }
        }

        // hostcalls: unique (module, name); statuses name real enum values
        let mut hostcall_names: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, h) in self.hostcalls.iter().enumerate() {
            let file = self
                .hostcall_files
                .get(i)
                .copied()
                .unwrap_or("spec/hostcalls.yaml");
            let index = self.hostcall_files[..i].iter().filter(|f| **f == file).count();
            let key = |field: &str| format!("hostcalls[{index}].{field}");
            if let Some(first) = hostcall_names.insert((h.module.as_str(), h.name.as_str()), i) {
                let first_file = self.hostcall_files.get(first).copied().unwrap_or(file);
                push(
                    file,
                    key("name"),
                    format!(
                        "duplicate hostcall \"{}.{}\" (first in {first_file})",
                        h.module, h.name
                    ),
                );
            }
            if !matches!(h.module.as_str(), "env" | "wasi_snapshot_preview1") {
                push(
                    file,
                    key("module"),
                    format!(
                        "unknown import module \"{}\" (expected env or wasi_snapshot_preview1)",
                        h.module
                    ),
                );
            }
            if h.versions.is_empty() {
                push(file, key("versions"), "no ABI version listed".into());
            }
            check_params(&h.params, &h.versions, &key("params"), file, &mut push);
            if h.results.len() > 1 {
                push(file, key("results"), "at most one result is allowed".into());
            }
            let allowed = if h.module == "env" {
                &status_names
            } else {
                &errno_names
            };
            for (j, s) in h.statuses.iter().enumerate() {
                if !allowed.contains(s.as_str()) {
                    push(
                        file,
                        key(&format!("statuses[{j}]")),
                        format!("unknown status \"{s}\""),
                    );
                }
            }
        }

        // callbacks: unique names
        let mut callback_names = HashMap::new();
        for (i, c) in self.callbacks.iter().enumerate() {
            let key = |field: &str| format!("callbacks[{i}].{field}");
            if let Some(first) = callback_names.insert(c.name.as_str(), i) {
                push(
                    files.callbacks,
                    key("name"),
                    format!("duplicate callback \"{}\" (first at callbacks[{first}])", c.name),
                );
            }
            if c.versions.is_empty() {
                push(files.callbacks, key("versions"), "no ABI version listed".into());
            }
            check_params(&c.params, &c.versions, &key("params"), files.callbacks, &mut push);
        }

        // rules: unique ids with a known prefix; referenced names exist
        let prefixes: BTreeSet<&str> = self.rule_groups.iter().map(|g| g.prefix.as_str()).collect();
        let mut rule_ids = HashMap::new();
        for (i, r) in self.rules.iter().enumerate() {
            let key = |field: &str| format!("rules[{i}].{field}");
            if let Some(first) = rule_ids.insert(r.id.as_str(), i) {
                push(
                    files.rules,
                    key("id"),
                    format!("duplicate rule id \"{}\" (first at rules[{first}])", r.id),
                );
            }
            match rule_prefix(&r.id) {
                Some(p) if prefixes.contains(p) => {}
                _ => push(
                    files.rules,
                    key("id"),
                    format!("rule id \"{}\" has no known group prefix", r.id),
                ),
            }
            for (j, h) in r.hostcalls.iter().enumerate() {
                if !self.hostcalls.iter().any(|x| &x.name == h) {
                    push(
                        files.rules,
                        key(&format!("hostcalls[{j}]")),
                        format!("unknown hostcall \"{h}\""),
                    );
                }
            }
            for (j, c) in r.callbacks.iter().enumerate() {
                if !self.callbacks.iter().any(|x| &x.name == c) {
                    push(
                        files.rules,
                        key(&format!("callbacks[{j}]")),
                        format!("unknown callback \"{c}\""),
                    );
                }
            }
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

impl Hostcall {
    /// The wasm parameter types for `version`.
    pub fn param_types(&self, version: AbiVersion) -> Vec<WasmType> {
        types_for(&self.params, version)
    }
    pub fn result_types(&self) -> Vec<WasmType> {
        self.results.iter().map(|p| p.ty).collect()
    }
}

impl Callback {
    /// The wasm parameter types for `version` (some callbacks grew a parameter in 0.2.0).
    pub fn param_types(&self, version: AbiVersion) -> Vec<WasmType> {
        types_for(&self.params, version)
    }
    pub fn result_types(&self) -> Vec<WasmType> {
        self.results.iter().map(|p| p.ty).collect()
    }
}

fn types_for(params: &[Param], version: AbiVersion) -> Vec<WasmType> {
    params
        .iter()
        .filter(|p| p.since.is_none_or(|s| version >= s))
        .map(|p| p.ty)
        .collect()
}

/// The per-version figures of [`Spec::counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub hostcalls: usize,
    pub callbacks: usize,
    pub wasi: usize,
}

struct Files {
    versions: &'static str,
    enums: &'static str,
    callbacks: &'static str,
    rules: &'static str,
}

/// The letters before the number of a rule id: `SD` for `SD2`.
pub fn rule_prefix(id: &str) -> Option<&str> {
    let end = id.find(|c: char| c.is_ascii_digit())?;
    let (prefix, number) = id.split_at(end);
    (!prefix.is_empty() && number.chars().all(|c| c.is_ascii_digit())).then_some(prefix)
}

fn check_params(
    params: &[Param],
    versions: &[AbiVersion],
    key: &str,
    file: &str,
    push: &mut impl FnMut(&str, String, String),
) {
    let mut names = HashMap::new();
    for (j, p) in params.iter().enumerate() {
        if let Some(first) = names.insert(p.name.as_str(), j) {
            push(
                file,
                format!("{key}[{j}].name"),
                format!("duplicate parameter \"{}\" (first at {key}[{first}])", p.name),
            );
        }
        if let Some(since) = p.since
            && !versions.contains(&since)
        {
            push(
                file,
                format!("{key}[{j}].since"),
                format!("version {since} is not among the versions listed"),
            );
        }
    }
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
