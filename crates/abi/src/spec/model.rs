//! The typed model of `spec/`: hostcalls, callbacks, enums, rules and versions as Rust
//! values, with the small queries each one answers about itself.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::version::AbiVersion;

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
    /// Statuses the call gives only from a version on (`NOT_FOUND: 0.2.0`); before it the
    /// call answers as the summary says (for a header lookup: OK with an empty value).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub status_since: BTreeMap<String, AbiVersion>,
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

impl Hostcall {
    /// Whether the call gives `status` (a spec spelling) under `version`: every documented
    /// status does, except one `status_since` starts at a later version.
    pub fn gives_status(&self, status: &str, version: AbiVersion) -> bool {
        self.status_since
            .get(status)
            .is_none_or(|since| version >= *since)
    }

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

/// The letters before the number of a rule id: `SD` for `SD2`.
pub fn rule_prefix(id: &str) -> Option<&str> {
    let end = id.find(|c: char| c.is_ascii_digit())?;
    let (prefix, number) = id.split_at(end);
    (!prefix.is_empty() && number.chars().all(|c| c.is_ascii_digit())).then_some(prefix)
}
