//! The host-under-test protocol: how pwconf drives a Proxy-Wasm host it certifies.
//!
//! The host is a process; pwconf writes one JSON object per line to its stdin (a
//! [`Request`]) and reads exactly one JSON line from its stdout in answer (a [`Reply`]),
//! so a host can be written in any language with a JSON library. The host's stderr is
//! free for its own logging. A session is: `hello` (versions and capabilities), then any
//! number of runs, each `start` → steps (`http`, `tcp`, `advance`, `reconfigure`,
//! `foreign_function`) → `finish` (the observations), then `quit` or end of input.
//!
//! pwconf sends everything a run needs up front: module code (a path or the bytes),
//! configurations, and the scripted answers of the upstream of each HTTP stream and of
//! every callout cluster (HTTP and gRPC); the host records what reached them. The JSON
//! Schema of both directions (`spec/host-protocol.schema.json`) is generated from these
//! types. The README's "host-under-test protocol" section is the prose version.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod codec;
mod data;

pub use codec::{ProtocolError, read_message, write_message};
pub use data::Data;

/// The version of the protocol these types describe. A host answers `hello` with the
/// version it speaks; pwconf refuses a session whose version differs.
pub const PROTOCOL_VERSION: u32 = 1;

/// Header pairs in order, each `[name, value]` (names as the host has them; pwconf
/// compares them case-insensitively).
pub type Headers = Vec<(String, String)>;

/// A message from pwconf to the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// The first message of a session. Answer: `hello`.
    Hello {
        /// The protocol version pwconf speaks.
        protocol: u32,
    },
    /// Load a configuration and start its VMs and root contexts. Answer: `started`, or an
    /// `error` of kind `load` when the host refuses the configuration (a module without
    /// a usable ABI marker, one that does not link).
    Start(Box<Start>),
    /// One HTTP stream through the HTTP filters, played until it ends or waits on a
    /// filter. Answer: `done`.
    Http(Box<HttpStream>),
    /// One TCP connection through the network filters. Answer: `done`.
    Tcp(TcpConnection),
    /// Time passes: this many milliseconds (on the host's clock; a host on the real clock
    /// waits that long), firing the ticks that fall due. Answer: `done`.
    Advance { millis: u64 },
    /// A plugin gets a new configuration: a new root context replaces the old one.
    /// Answer: `done`.
    Reconfigure {
        /// The plugin's name.
        plugin: String,
        configuration: Data,
    },
    /// The host calls a plugin's `proxy_on_foreign_function`. Answer: `done`.
    ForeignFunction {
        plugin: String,
        function_id: u32,
        /// Readable as the FOREIGN_FUNCTION_ARGUMENTS buffer.
        arguments: Data,
    },
    /// End open streams, stop the VMs and report. Answer: `observations`.
    Finish,
    /// End the session; the host exits. No answer.
    Quit,
}

/// A message from the host to pwconf.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Reply {
    /// Answer to `hello`.
    Hello(Hello),
    /// Answer to `start`: the configuration is loaded.
    Started,
    /// Answer to a step: it has been played.
    Done,
    /// Answer to `finish`.
    Observations(Box<Observations>),
    /// Answer to any request the host could not carry out.
    Error(HostError),
}

/// Who the host is and what it can do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hello {
    /// The protocol version the host speaks.
    pub protocol: u32,
    /// The host's name (`envoy`, `reference`, ...).
    pub host: String,
    /// The host's own version (`1.40.0`, ...).
    pub version: String,
    /// The Proxy-Wasm ABI versions it implements (`0.1.0`, `0.2.0`, `0.2.1`).
    pub abi: Vec<String>,
    /// What it can report at `finish`.
    pub observations: Vec<Observable>,
    /// The Wasm runtimes it can run plugins on (the `vm.runtime` values it accepts); pwconf
    /// certifies each.
    pub runtimes: Vec<String>,
    /// The clocks it can run on.
    pub clocks: Vec<Clock>,
}

/// A kind of observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Observable {
    /// What reached the upstream and the downstream, local replies, resets, TCP data and
    /// closes, log lines, metrics, start failures, callouts made: what anyone can see from
    /// outside the host.
    Effects,
    /// The ordered callbacks and hostcalls of each VM, with arguments and results.
    Trace,
    /// The VM instances of each thread (`main`, `worker-0`, ...).
    Vms,
}

/// Which clock a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// Time moves only with `advance`, from 2026-01-01T00:00:00Z: runs repeat exactly.
    #[default]
    Virtual,
    /// The system clock: `advance` waits for real and ticks fire as time passes.
    Real,
}

/// A configuration to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Start {
    pub configuration: Configuration,
    /// Worker threads (Envoy's `--concurrency`).
    pub workers: usize,
    #[serde(default)]
    pub clock: Clock,
    /// What each callout cluster answers to `proxy_http_call` and gRPC calls, by cluster
    /// name; a cluster named here exists even if `configuration.clusters` lacks it.
    #[serde(default)]
    pub callouts: BTreeMap<String, CalloutAnswer>,
}

/// Plugins and clusters (Envoy's bootstrap reduced to what Proxy-Wasm sees).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Configuration {
    /// HTTP filters, in chain order.
    #[serde(default)]
    pub http_filters: Vec<Plugin>,
    /// Network (TCP) filters, in chain order.
    #[serde(default)]
    pub network_filters: Vec<Plugin>,
    /// Services (Envoy's `envoy.bootstrap.wasm`).
    #[serde(default)]
    pub services: Vec<Service>,
    /// Clusters plugins may call out to.
    #[serde(default)]
    pub clusters: Vec<Cluster>,
}

/// A plugin that runs outside any stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// One instance on the main thread (`true`) or one per worker (`false`).
    pub singleton: bool,
    pub plugin: Plugin,
}

/// A cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    pub name: String,
    /// `host:port` of a real server behind it; absent: the host serves it from the
    /// scripted `callouts` answer.
    #[serde(default)]
    pub address: Option<String>,
}

/// One plugin (Envoy's `PluginConfig`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plugin {
    pub name: String,
    #[serde(default)]
    pub root_id: String,
    /// The plugin configuration (`proxy_on_configure`).
    #[serde(default)]
    pub configuration: Data,
    #[serde(default)]
    pub failure_policy: FailurePolicy,
    pub vm: Vm,
}

/// What happens to streams once a plugin's VM failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "policy", rename_all = "snake_case", deny_unknown_fields)]
pub enum FailurePolicy {
    /// Streams are refused (Envoy: a 503 local reply, or the connection closed).
    #[default]
    FailClosed,
    /// Streams pass as if the plugin were absent.
    FailOpen,
    /// A new VM serves new streams, at most once per backoff interval.
    FailReload {
        base_interval_ms: u64,
        max_interval_ms: u64,
    },
}

/// The VM a plugin runs in (Envoy's `VmConfig`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vm {
    /// Plugins with equal `vm_id`, runtime, code and VM configuration share one VM.
    #[serde(default)]
    pub vm_id: String,
    /// One of the runtimes the host's `hello` listed.
    pub runtime: String,
    pub code: Code,
    /// The VM configuration (`proxy_on_vm_start`).
    #[serde(default)]
    pub configuration: Data,
    /// Environment variables the VM sees (WASI `environ_get`).
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
}

/// A module's code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Code {
    /// An absolute path to a `.wasm` file on the host's machine.
    Path(String),
    /// The module's bytes, base64 (standard alphabet, padded).
    Base64(String),
}

/// What a callout cluster answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalloutAnswer {
    /// The HTTP answer: headers (with `:status`), body, trailers.
    #[serde(default)]
    pub headers: Headers,
    #[serde(default)]
    pub body: Data,
    #[serde(default)]
    pub trailers: Headers,
    /// Answer this many milliseconds after the call.
    #[serde(default)]
    pub delay_ms: u64,
    /// Reset the connection instead of answering.
    #[serde(default)]
    pub reset: bool,
    /// The answer to gRPC calls and streams.
    #[serde(default)]
    pub grpc: Option<GrpcAnswer>,
}

/// What a cluster answers to gRPC: a unary call gets all of it, in order; a stream gets
/// the initial metadata and messages once open, the trailing metadata and close once the
/// plugin half-closes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrpcAnswer {
    #[serde(default)]
    pub initial_metadata: Headers,
    #[serde(default)]
    pub messages: Vec<Data>,
    #[serde(default)]
    pub trailing_metadata: Headers,
    /// The gRPC status (0: OK).
    #[serde(default)]
    pub status: u32,
    #[serde(default)]
    pub status_message: String,
    #[serde(default)]
    pub delay_ms: u64,
}

/// An HTTP request or response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Message {
    #[serde(default)]
    pub headers: Headers,
    /// Body chunks, each its own frame (empty: no body).
    #[serde(default)]
    pub body: Vec<Data>,
    /// Trailers end the message when present.
    #[serde(default)]
    pub trailers: Option<Headers>,
    /// An HTTP/2 METADATA frame after the headers (Envoy's extension).
    #[serde(default)]
    pub metadata: Headers,
}

/// One HTTP stream: the downstream's request and the upstream's scripted answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpStream {
    /// Names the stream in the observations.
    pub name: String,
    /// The worker that handles it (absent: the host chooses).
    #[serde(default)]
    pub worker: Option<usize>,
    pub request: Message,
    /// What the upstream answers once the request reached it.
    pub response: Message,
}

/// One TCP connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TcpConnection {
    pub name: String,
    #[serde(default)]
    pub worker: Option<usize>,
    pub events: Vec<TcpEvent>,
}

/// One event of a TCP connection, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum TcpEvent {
    /// Bytes from the client (`end`: the last ones, half-close).
    Downstream {
        data: Data,
        #[serde(default)]
        end: bool,
    },
    /// Bytes from the server.
    Upstream {
        data: Data,
        #[serde(default)]
        end: bool,
    },
    DownstreamClose,
    UpstreamClose,
}

/// An error, as an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[error("{kind}: {message}")]
#[serde(deny_unknown_fields)]
pub struct HostError {
    pub kind: ErrorKind,
    /// One line naming what failed (the plugin, the module, the message).
    pub message: String,
}

/// What kind of error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request is not valid protocol (bad JSON, unknown type, wrong fields).
    Protocol,
    /// The configuration was refused at load: no VM started.
    Load,
    /// The host cannot do this at all (a runtime, clock or ABI version it lacks).
    Unsupported,
    /// A step could not be played (an unknown plugin, a step before `start`).
    Step,
    /// The host itself failed.
    Internal,
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ErrorKind::Protocol => "protocol",
            ErrorKind::Load => "load",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Step => "step",
            ErrorKind::Internal => "internal",
        })
    }
}

/// What the host observed during a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observations {
    /// Each HTTP stream, by name.
    #[serde(default)]
    pub http: BTreeMap<String, HttpObserved>,
    /// Each TCP connection, by name.
    #[serde(default)]
    pub tcp: BTreeMap<String, TcpObserved>,
    /// Plugin log lines, in the order written.
    #[serde(default)]
    pub logs: Vec<LogLine>,
    /// Every metric the plugins defined, with its value at the end.
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// Plugins that failed to start (`proxy_on_vm_start` or `proxy_on_configure` refused,
    /// a trap), per thread where the host knows it.
    #[serde(default)]
    pub start_failures: Vec<StartFailure>,
    /// What reached the callout clusters, in order.
    #[serde(default)]
    pub callouts: Vec<Callout>,
    /// VM instances (`vms` capability only).
    #[serde(default)]
    pub vms: Option<Vec<VmObserved>>,
    /// Each VM's callbacks and hostcalls (`trace` capability only).
    #[serde(default)]
    pub trace: Option<Vec<VmTrace>>,
}

/// What one HTTP stream did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpObserved {
    /// What reached the upstream (absent: nothing was forwarded).
    #[serde(default)]
    pub upstream: Option<Received>,
    /// What reached the downstream client.
    #[serde(default)]
    pub downstream: Option<Received>,
    /// The local reply a plugin sent.
    #[serde(default)]
    pub local_reply: Option<LocalReply>,
    /// The stream was reset.
    #[serde(default)]
    pub reset: bool,
    /// The stream ended (it did not stay paused in a filter).
    #[serde(default)]
    pub finished: bool,
}

/// A message as one end received it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Received {
    #[serde(default)]
    pub headers: Headers,
    /// The whole body, chunks joined.
    #[serde(default)]
    pub body: Data,
    #[serde(default)]
    pub trailers: Option<Headers>,
    /// The end of the message arrived.
    #[serde(default)]
    pub complete: bool,
}

/// A local reply (`proxy_send_local_response`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalReply {
    pub status: u32,
    /// The details string (Envoy's response code details), when the host knows it.
    #[serde(default)]
    pub details: String,
    #[serde(default)]
    pub body: Data,
    #[serde(default)]
    pub headers: Headers,
    #[serde(default)]
    pub grpc_status: Option<u32>,
}

/// What one TCP connection did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TcpObserved {
    #[serde(default)]
    pub upstream_received: Data,
    #[serde(default)]
    pub downstream_received: Data,
    /// `downstream`, `upstream` or `filter`.
    #[serde(default)]
    pub closed_by: Option<String>,
    #[serde(default)]
    pub finished: bool,
}

/// One plugin log line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogLine {
    /// `trace`, `debug`, `info`, `warn`, `error` or `critical`.
    pub level: String,
    pub message: String,
    /// The plugin that wrote it (empty: the VM).
    #[serde(default)]
    pub plugin: String,
}

/// A metric at the end of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub name: String,
    pub kind: MetricKind,
    /// A counter's or gauge's value; a histogram's sum of samples.
    pub value: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    Counter,
    Gauge,
    Histogram,
}

/// A plugin that could not start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartFailure {
    pub plugin: String,
    #[serde(default)]
    pub thread: String,
    pub error: String,
}

/// A callout that reached a cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Callout {
    pub cluster: String,
    /// `http` or `grpc`.
    pub kind: String,
    #[serde(default)]
    pub headers: Headers,
    #[serde(default)]
    pub body: Data,
}

/// One VM instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VmObserved {
    /// `main`, `worker-0`, ...
    pub thread: String,
    #[serde(default)]
    pub vm_id: String,
    /// The ABI version the module was run under.
    pub abi: String,
    /// Why it failed, if it did.
    #[serde(default)]
    pub failed: Option<String>,
    /// The plugins (root contexts) in it.
    #[serde(default)]
    pub plugins: Vec<String>,
}

/// The trace of one VM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VmTrace {
    pub thread: String,
    pub events: Vec<TraceEvent>,
}

/// A callback the host made, or a hostcall the plugin made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TraceEvent {
    Callback {
        name: String,
        args: Vec<i64>,
        #[serde(default)]
        result: Option<i64>,
        /// Set when the callback did not return normally (`trap`, ...).
        #[serde(default)]
        outcome: Option<String>,
    },
    Hostcall {
        name: String,
        args: Vec<i64>,
        /// The status name it answered (`OK`, `NOT_FOUND`, ...).
        #[serde(default)]
        status: Option<String>,
    },
}

/// Any line of the protocol, either way: what the published schema describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Line {
    /// pwconf → host.
    Request(Request),
    /// host → pwconf.
    Reply(Reply),
}

/// The protocol's JSON Schema (published as `spec/host-protocol.schema.json`).
pub fn schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Line)).unwrap_or_default();
    if let Some(map) = schema.as_object_mut() {
        map.insert(
            "title".into(),
            format!("pwconf host-under-test protocol, version {PROTOCOL_VERSION}").into(),
        );
        map.insert(
            "description".into(),
            "One JSON object per line: pwconf writes requests to the host's stdin, the host answers each (but quit) with one reply line on its stdout."
                .into(),
        );
    }
    schema
}
