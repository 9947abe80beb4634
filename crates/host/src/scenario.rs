//! Scenarios: what a proxy would see (HTTP streams, TCP connections, time passing) and what
//! it must observe (forwarded messages, local replies, closes, log lines, trace events).
//! The format is documented in the README; its JSON Schema (`spec/scenario.schema.json`)
//! is generated from these types, so the two cannot drift.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::http::{HttpOutcome, Message};
use crate::proxy::{Proxy, ProxyError, RunReport, TcpEvent};
use crate::tcp::TcpOutcome;
use crate::trace::TraceEvent;

/// A scenario file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// One line saying what the scenario shows.
    #[serde(default)]
    pub description: String,
    /// Conformance cases: the lifecycle rule ids (`spec/rules.yaml`) the case checks.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Conformance cases: the hostcalls the case checks.
    #[serde(default)]
    pub hostcalls: Vec<String>,
    /// Conformance cases: the callbacks the case checks.
    #[serde(default)]
    pub callbacks: Vec<String>,
    /// Conformance cases: the ABI versions the case runs under (the runner adds the
    /// marker export for each).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub abi: Vec<pwconf_abi::AbiVersion>,
    /// Conformance cases: `false` when the module's ABI marker is part of what the case
    /// checks (rule L1): the runner then adds none and the module may export its own.
    #[serde(default = "default_true")]
    pub add_marker: bool,
    /// Conformance cases: a prebuilt module (relative path) instead of `<case>.wat`.
    #[serde(default)]
    pub module: Option<String>,
    /// Worker threads (default: the configuration's, else the number of cores).
    #[serde(default)]
    pub workers: Option<usize>,
    /// A configuration file (an Envoy bootstrap or the short form), relative to the
    /// scenario; `--config` wins over it.
    #[serde(default)]
    pub config_file: Option<String>,
    /// An inline configuration in the short form (see the README); `--config` and
    /// `config_file` win over it.
    #[serde(default)]
    pub config: Option<serde_json::Value>,
    /// What each upstream cluster answers to HTTP callouts (`proxy_http_call`), by
    /// cluster name; a cluster listed here exists even if the configuration has none.
    #[serde(default)]
    pub upstreams: BTreeMap<String, UpstreamSpec>,
    /// What happens, in order: each step has exactly one of `http`, `tcp`, `advance_time`,
    /// `reconfigure`, `foreign_function`.
    pub steps: Vec<StepSpec>,
    /// What must have been observed at the end.
    #[serde(default)]
    pub expect: Expectations,
}

fn default_true() -> bool {
    true
}

/// A cluster's scripted answer to HTTP callouts.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpstreamSpec {
    #[serde(default)]
    pub headers: Headers,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub trailers: Headers,
    /// Answer this long (virtual milliseconds) after the call; 0: right after the step.
    #[serde(default)]
    pub delay_ms: u64,
    /// Reset the connection instead of answering.
    #[serde(default)]
    pub reset: bool,
    /// What the cluster answers to gRPC calls and streams.
    #[serde(default)]
    pub grpc: Option<GrpcUpstreamSpec>,
}

/// A cluster's scripted answer to gRPC calls and streams: a unary call receives all of
/// it, in this order; a stream receives the initial metadata and messages once open, and
/// the trailing metadata and close once the guest half-closes it.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrpcUpstreamSpec {
    #[serde(default)]
    pub initial_metadata: Headers,
    /// Response messages, each delivered with `proxy_on_grpc_receive`.
    #[serde(default)]
    pub messages: Vec<String>,
    #[serde(default)]
    pub trailing_metadata: Headers,
    /// The gRPC status of `proxy_on_grpc_close` (default 0, OK).
    #[serde(default)]
    pub status: u32,
    /// The message `proxy_get_status` gives during `proxy_on_grpc_close`.
    #[serde(default)]
    pub status_message: String,
    /// Answer this long (virtual milliseconds) after the call or stream opened.
    #[serde(default)]
    pub delay_ms: u64,
}

/// One step as written: exactly one of its keys.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// An HTTP request through the HTTP filters, answered by the scripted upstream.
    #[serde(default)]
    pub http: Option<Box<HttpStep>>,
    /// A TCP connection through the network filters.
    #[serde(default)]
    pub tcp: Option<Box<TcpStep>>,
    /// Moves the virtual clock forward (milliseconds), firing due ticks.
    #[serde(default)]
    pub advance_time: Option<u64>,
    /// Gives a plugin a new configuration: a new root context replaces the old one.
    #[serde(default)]
    pub reconfigure: Option<Reconfigure>,
    /// The host invokes a plugin's `proxy_on_foreign_function`.
    #[serde(default)]
    pub foreign_function: Option<ForeignCall>,
}

/// A host-initiated foreign-function call into a plugin.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForeignCall {
    /// The plugin's name.
    pub plugin: String,
    pub function_id: u32,
    /// The arguments (text), readable as the FOREIGN_FUNCTION_ARGUMENTS buffer.
    #[serde(default)]
    pub arguments: String,
}

/// A new plugin configuration.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reconfigure {
    /// The plugin's name.
    pub plugin: String,
    /// The new configuration (text).
    #[serde(default)]
    pub configuration: String,
}

impl StepSpec {
    /// The step, when exactly one kind is given.
    pub fn step(&self) -> Option<Step> {
        match (
            &self.http,
            &self.tcp,
            self.advance_time,
            &self.reconfigure,
            &self.foreign_function,
        ) {
            (Some(h), None, None, None, None) => Some(Step::Http(h.clone())),
            (None, Some(t), None, None, None) => Some(Step::Tcp(t.clone())),
            (None, None, Some(ms), None, None) => Some(Step::AdvanceTime(ms)),
            (None, None, None, Some(r), None) => Some(Step::Reconfigure(r.clone())),
            (None, None, None, None, Some(f)) => Some(Step::Foreign(f.clone())),
            _ => None,
        }
    }
}

/// One step.
#[derive(Debug, Clone)]
pub enum Step {
    /// An HTTP request through the HTTP filters, answered by the scripted upstream.
    Http(Box<HttpStep>),
    /// A TCP connection through the network filters.
    Tcp(Box<TcpStep>),
    /// Moves the virtual clock forward (milliseconds), firing due ticks.
    AdvanceTime(u64),
    Reconfigure(Reconfigure),
    Foreign(ForeignCall),
}

/// An HTTP stream.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpStep {
    /// Names the stream in expectations and reports (default `http-<n>`).
    #[serde(default)]
    pub name: Option<String>,
    /// The worker that handles it (default: round robin).
    #[serde(default)]
    pub worker: Option<usize>,
    pub request: MessageSpec,
    /// The upstream's answer (default: `:status 200`, no body).
    #[serde(default)]
    pub response: Option<MessageSpec>,
    #[serde(default)]
    pub expect: Option<HttpExpect>,
}

/// Headers, body chunks and trailers of a request or response.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageSpec {
    #[serde(default)]
    pub headers: Headers,
    /// One string, or a list of chunks (each arrives as its own body frame).
    #[serde(default)]
    pub body: Chunks,
    #[serde(default)]
    pub trailers: Option<Headers>,
    /// An HTTP/2 METADATA frame after the headers: filters get
    /// `proxy_on_request_metadata` / `proxy_on_response_metadata` (Envoy's extension).
    #[serde(default)]
    pub metadata: Headers,
}

/// Header pairs in order: a mapping `{name: value}` or a list of `[name, value]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

/// Body chunks: one string or a list of strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chunks(pub Vec<String>);

/// Expectations on one HTTP stream.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpExpect {
    /// What reached the upstream.
    #[serde(default)]
    pub upstream: Option<MessageExpect>,
    /// What reached the downstream client.
    #[serde(default)]
    pub downstream: Option<MessageExpect>,
    /// A local reply a filter sent (`false`: none was sent).
    #[serde(default)]
    pub local_reply: Option<LocalReplyExpect>,
    /// The stream was reset.
    #[serde(default)]
    pub reset: Option<bool>,
}

/// Expectations on a message one end received.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageExpect {
    /// Whether anything arrived at all.
    #[serde(default)]
    pub received: Option<bool>,
    /// The `:status` header (downstream).
    #[serde(default)]
    pub status: Option<u32>,
    /// Headers that must be present with these values (names case-insensitive).
    #[serde(default)]
    pub headers: Headers,
    /// Header names that must be absent.
    #[serde(default)]
    pub absent_headers: Vec<String>,
    /// The exact body.
    #[serde(default)]
    pub body: Option<String>,
    /// Trailers that must be present with these values.
    #[serde(default)]
    pub trailers: Headers,
}

/// Expectations on a local reply.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum LocalReplyExpect {
    /// `false`: no local reply; `true`: some local reply.
    Sent(bool),
    Reply(LocalReplyFields),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalReplyFields {
    #[serde(default)]
    pub status: Option<u32>,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
}

/// A TCP connection.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TcpStep {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub worker: Option<usize>,
    pub events: Vec<TcpEventSpec>,
    #[serde(default)]
    pub expect: Option<TcpExpect>,
}

/// One event of a TCP connection: exactly one of its keys.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TcpEventSpec {
    /// Bytes from the client.
    #[serde(default)]
    pub downstream: Option<String>,
    /// Bytes from the server.
    #[serde(default)]
    pub upstream: Option<String>,
    /// With `downstream` / `upstream`: these are the last bytes (end of stream).
    #[serde(default)]
    pub end: bool,
    /// `downstream` or `upstream` closes.
    #[serde(default)]
    pub close: Option<Side>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Downstream,
    Upstream,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TcpExpect {
    #[serde(default)]
    pub upstream_received: Option<String>,
    #[serde(default)]
    pub downstream_received: Option<String>,
    /// `downstream`, `upstream` or `filter`.
    #[serde(default)]
    pub closed_by: Option<String>,
}

/// Expectations on the whole run.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// Each must match at least one log line.
    #[serde(default)]
    pub logs: Vec<LogExpect>,
    /// None may match any log line.
    #[serde(default)]
    pub absent_logs: Vec<LogExpect>,
    /// Events that must occur in this order (with others in between) in one VM's trace.
    #[serde(default)]
    pub trace: Vec<TraceExpect>,
    /// Callback or hostcall names that must not occur in any trace.
    #[serde(default)]
    pub absent_trace: Vec<String>,
    /// VM instances per thread (`main`, `worker-0`, ...).
    #[serde(default)]
    pub vms: BTreeMap<String, usize>,
    /// Metric values at the end of the run, by name (a histogram's value is the sum of
    /// its samples).
    #[serde(default)]
    pub metrics: BTreeMap<String, i64>,
    /// Plugins that must have failed to start (substring of the error), or `[]` for none.
    #[serde(default)]
    pub start_failures: Option<Vec<String>>,
    /// The proxy must refuse to load the configuration, with an error containing this
    /// (a module without a usable ABI marker, one that fails to link): no VM starts and
    /// no step runs.
    #[serde(default)]
    pub load_error: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogExpect {
    /// `trace`, `debug`, `info`, `warn`, `error` or `critical`.
    #[serde(default)]
    pub level: Option<String>,
    /// A substring of the message.
    pub contains: String,
}

/// A trace event: a callback or a hostcall, optionally with its arguments and answer.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TraceExpect {
    #[serde(default)]
    pub callback: Option<String>,
    #[serde(default)]
    pub hostcall: Option<String>,
    /// Exact arguments.
    #[serde(default)]
    pub args: Option<Vec<i64>>,
    /// A callback's returned value.
    #[serde(default)]
    pub result: Option<i64>,
    /// A hostcall's status name (`OK`, `NOT_FOUND`, ...).
    #[serde(default)]
    pub status: Option<String>,
}

impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Headers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of header names to values, or a list of [name, value] pairs")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headers, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Scalar>()? {
                    out.push((k, v.0));
                }
                Ok(Headers(out))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Headers, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = seq.next_element::<(String, Scalar)>()? {
                    out.push((k, v.0));
                }
                Ok(Headers(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A header value written as a string or a number (`:status: 200`).
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Headers {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Headers".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Header pairs in order: a mapping of names to values, or a list of [name, value] pairs.",
            "oneOf": [
                {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
                {"type": "array", "items": {"type": "array", "prefixItems": [{"type": "string"}, {"type": ["string", "number", "boolean"]}], "minItems": 2, "maxItems": 2}}
            ]
        })
    }
}

impl<'de> Deserialize<'de> for Chunks {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            One(String),
            Many(Vec<String>),
        }
        match Form::deserialize(d).map_err(|_| de::Error::custom("expected a string or a list of strings"))? {
            Form::One(s) => Ok(Chunks(vec![s])),
            Form::Many(v) => Ok(Chunks(v)),
        }
    }
}

impl JsonSchema for Chunks {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Chunks".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A body: one string, or a list of chunks that arrive as separate frames.",
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
        })
    }
}

/// The scenario format's JSON Schema.
pub fn schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Scenario);
    serde_json::to_value(schema).unwrap_or_default()
}

/// A scenario file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ScenarioError {
    pub file: String,
    pub message: String,
}

/// Reads a scenario; unknown keys and wrong types are errors naming their YAML path.
///
/// # Errors
/// An unreadable file, YAML syntax, or a key the format does not have.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
        file: file.clone(),
        message: format!("cannot read: {e}"),
    })?;
    parse(&text, &file)
}

/// Parses scenario text (`file` names it in errors).
///
/// # Errors
/// YAML syntax, or a key the format does not have, with its path.
pub fn parse(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let de = serde_yaml_ng::Deserializer::from_str(text);
    let scenario: Scenario = serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = inner.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
        ScenarioError {
            file: file.to_string(),
            message: if path.is_empty() || path == "." {
                message
            } else {
                format!("{path}: {message}")
            },
        }
    })?;
    let fail = |message: String| ScenarioError {
        file: file.to_string(),
        message,
    };
    for (i, step) in scenario.steps.iter().enumerate() {
        if step.step().is_none() {
            return Err(fail(format!(
                "steps[{i}]: a step has exactly one of http, tcp, advance_time, reconfigure, foreign_function"
            )));
        }
        if let Some(tcp) = &step.tcp {
            for (j, e) in tcp.events.iter().enumerate() {
                let kinds = usize::from(e.downstream.is_some())
                    + usize::from(e.upstream.is_some())
                    + usize::from(e.close.is_some());
                if kinds != 1 || (e.end && e.close.is_some()) {
                    return Err(fail(format!(
                        "steps[{i}].tcp.events[{j}]: an event has exactly one of downstream, upstream, close"
                    )));
                }
            }
        }
    }
    Ok(scenario)
}

fn message_from(spec: &MessageSpec) -> Message {
    Message {
        headers: pairs_from(&spec.headers),
        chunks: spec.body.0.iter().map(|c| c.clone().into_bytes()).collect(),
        body: Vec::new(),
        trailers: spec.trailers.as_ref().map(pairs_from),
        metadata: pairs_from(&spec.metadata),
        complete: false,
    }
}

fn pairs_from(h: &Headers) -> Vec<crate::pairs::Pair> {
    h.0.iter()
        .map(|(k, v)| (k.to_ascii_lowercase().into_bytes(), v.clone().into_bytes()))
        .collect()
}

impl Scenario {
    /// Whether any step opens a TCP connection (and any an HTTP stream).
    pub fn uses(&self) -> (bool, bool) {
        let http = self.steps.iter().any(|s| s.http.is_some());
        let tcp = self.steps.iter().any(|s| s.tcp.is_some());
        (http, tcp)
    }

    /// The upstream clusters' scripted answers, for [`crate::proxy::ProxyOptions`]: they
    /// must be known before the VMs start, since plugins may call out from start-up.
    pub fn upstream_scripts(&self) -> BTreeMap<String, crate::shared::ScriptedResponse> {
        self.upstreams
            .iter()
            .map(|(cluster, spec)| {
                (
                    cluster.clone(),
                    crate::shared::ScriptedResponse {
                        headers: pairs_from(&spec.headers),
                        body: spec.body.clone().into_bytes(),
                        trailers: pairs_from(&spec.trailers),
                        delay_ms: spec.delay_ms,
                        reset: spec.reset,
                        grpc: spec.grpc.as_ref().map(|g| crate::shared::ScriptedGrpc {
                            initial_metadata: pairs_from(&g.initial_metadata),
                            messages: g.messages.iter().map(|m| m.clone().into_bytes()).collect(),
                            trailing_metadata: pairs_from(&g.trailing_metadata),
                            status: g.status,
                            status_message: g.status_message.clone().into_bytes(),
                            delay_ms: g.delay_ms,
                        }),
                    },
                )
            })
            .collect()
    }

    /// The steps with the names streams and connections are reported under: their own,
    /// else `http-<n>` / `tcp-<n>` in order (empty for other steps).
    fn named_steps(&self) -> Vec<(String, Step)> {
        let (mut http_n, mut tcp_n) = (0, 0);
        self.steps
            .iter()
            .filter_map(StepSpec::step)
            .map(|step| {
                let name = match &step {
                    Step::Http(h) => {
                        http_n += 1;
                        h.name.clone().unwrap_or_else(|| format!("http-{http_n}"))
                    }
                    Step::Tcp(t) => {
                        tcp_n += 1;
                        t.name.clone().unwrap_or_else(|| format!("tcp-{tcp_n}"))
                    }
                    _ => String::new(),
                };
                (name, step)
            })
            .collect()
    }

    /// Worker threads: the scenario's, else the configuration's, else `fallback`.
    pub fn workers(&self, config: &pwconf_config::HostConfig, fallback: usize) -> usize {
        self.workers.or(config.workers).unwrap_or(fallback)
    }

    /// Starts a proxy for this scenario on one backend (its upstream scripts included),
    /// plays the steps and checks the expectations.
    ///
    /// # Errors
    /// The proxy cannot start (a module that does not load or link), or a thread stopped.
    pub fn run(
        &self,
        config: &pwconf_config::HostConfig,
        backend: &str,
        workers: usize,
        breakage: Option<crate::state::Breakage>,
    ) -> Result<(RunReport, Vec<Check>), ProxyError> {
        self.run_on_clock(config, backend, workers, breakage, false)
    }

    /// [`Scenario::run`] on the real clock when `real_time`: `advance_time` steps wait for
    /// real, ticks fire as the time passes and guests read the system time.
    ///
    /// # Errors
    /// As [`Scenario::run`].
    pub fn run_on_clock(
        &self,
        config: &pwconf_config::HostConfig,
        backend: &str,
        workers: usize,
        breakage: Option<crate::state::Breakage>,
        real_time: bool,
    ) -> Result<(RunReport, Vec<Check>), ProxyError> {
        let options = crate::proxy::ProxyOptions {
            real_time,
            workers,
            backend: Some(backend.to_string()),
            limits: pwconf_backend::Limits::default(),
            engine: pwconf_backend::EngineConfig::default(),
            breakage,
            upstreams: self.upstream_scripts(),
            trace_hostcalls: true,
        };
        let proxy = match (Proxy::start(config, &options), &self.expect.load_error) {
            (Ok(proxy), _) => proxy,
            (Err(e @ ProxyError::Module { .. }), Some(wanted)) => {
                let observed = e.to_string();
                let check = Check {
                    what: "configuration refused at load".to_string(),
                    met: observed.contains(wanted.as_str()),
                    expected: format!("an error containing {wanted:?}"),
                    observed,
                };
                return Ok((RunReport::default(), vec![check]));
            }
            (Err(e), _) => return Err(e),
        };
        let report = self.play(proxy)?;
        let mut checks = self.check(&report);
        if let Some(wanted) = &self.expect.load_error {
            checks.push(Check {
                what: "configuration refused at load".to_string(),
                met: false,
                expected: format!("an error containing {wanted:?}"),
                observed: "it loaded and ran".to_string(),
            });
        }
        Ok((report, checks))
    }

    /// Plays the steps on a running proxy and returns what it observed.
    ///
    /// # Errors
    /// A proxy thread stopped (a host defect).
    pub fn play(&self, mut proxy: Proxy) -> Result<RunReport, ProxyError> {
        for (name, step) in self.named_steps() {
            match step {
                Step::Http(h) => {
                    let response = h.response.as_ref().map(message_from).unwrap_or_else(|| Message {
                        headers: vec![(b":status".to_vec(), b"200".to_vec())],
                        ..Message::default()
                    });
                    proxy.http(h.worker, &name, message_from(&h.request), response)?;
                }
                Step::Tcp(t) => {
                    let events = t
                        .events
                        .iter()
                        .map(|e| match (&e.downstream, &e.upstream, e.close) {
                            (Some(d), _, _) => TcpEvent::Downstream {
                                data: d.clone().into_bytes(),
                                end: e.end,
                            },
                            (None, Some(u), _) => TcpEvent::Upstream {
                                data: u.clone().into_bytes(),
                                end: e.end,
                            },
                            (None, None, Some(Side::Upstream)) => TcpEvent::UpstreamClose,
                            (None, None, _) => TcpEvent::DownstreamClose,
                        })
                        .collect();
                    proxy.tcp(t.worker, &name, events)?;
                }
                Step::AdvanceTime(ms) => proxy.advance(ms)?,
                Step::Reconfigure(r) => proxy.reconfigure(&r.plugin, r.configuration.as_bytes())?,
                Step::Foreign(f) => proxy.foreign(&f.plugin, f.function_id, f.arguments.as_bytes())?,
            }
        }
        proxy.finish()
    }

    /// Checks every expectation against what a run observed.
    pub fn check(&self, report: &RunReport) -> Vec<Check> {
        let mut checks = Vec::new();
        for (name, step) in self.named_steps() {
            match step {
                Step::Http(h) => {
                    if let Some(expect) = &h.expect {
                        check_http(&mut checks, &name, expect, report.http.get(&name));
                    }
                }
                Step::Tcp(t) => {
                    if let Some(expect) = &t.expect {
                        check_tcp(&mut checks, &name, expect, report.tcp.get(&name));
                    }
                }
                Step::AdvanceTime(_) | Step::Reconfigure(_) | Step::Foreign(_) => {}
            }
        }
        check_run(&mut checks, &self.expect, report);
        checks
    }
}

/// One expectation and whether it was met.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub what: String,
    pub met: bool,
    pub expected: String,
    pub observed: String,
}

fn push(
    checks: &mut Vec<Check>,
    what: String,
    expected: impl fmt::Display,
    observed: impl fmt::Display,
    met: bool,
) {
    checks.push(Check {
        what,
        met,
        expected: expected.to_string(),
        observed: observed.to_string(),
    });
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn header_value(pairs: &[crate::pairs::Pair], name: &str) -> Option<String> {
    let name = name.to_ascii_lowercase();
    pairs
        .iter()
        .find(|(k, _)| *k == name.as_bytes())
        .map(|(_, v)| lossy(v))
}

fn check_message(checks: &mut Vec<Check>, what: &str, expect: &MessageExpect, got: Option<&Message>) {
    let received = got.is_some_and(|m| !m.headers.is_empty() || m.complete);
    if let Some(want) = expect.received {
        push(
            checks,
            format!("{what} received"),
            want,
            received,
            want == received,
        );
    }
    let empty = Message::default();
    let m = got.unwrap_or(&empty);
    if let Some(status) = expect.status {
        let observed = header_value(&m.headers, ":status").unwrap_or_else(|| "none".to_string());
        push(
            checks,
            format!("{what} status"),
            status,
            &observed,
            observed == status.to_string(),
        );
    }
    for (name, value) in &expect.headers.0 {
        let observed = header_value(&m.headers, name);
        let shown = observed.clone().unwrap_or_else(|| "absent".to_string());
        push(
            checks,
            format!("{what} header {name}"),
            value,
            shown,
            observed.as_deref() == Some(value),
        );
    }
    for name in &expect.absent_headers {
        let observed = header_value(&m.headers, name);
        let shown = observed.clone().unwrap_or_else(|| "absent".to_string());
        push(
            checks,
            format!("{what} header {name}"),
            "absent",
            shown,
            observed.is_none(),
        );
    }
    if let Some(body) = &expect.body {
        let observed = lossy(&m.body);
        push(
            checks,
            format!("{what} body"),
            format!("{body:?}"),
            format!("{observed:?}"),
            observed == *body,
        );
    }
    for (name, value) in &expect.trailers.0 {
        let observed = m.trailers.as_ref().and_then(|t| header_value(t, name));
        let shown = observed.clone().unwrap_or_else(|| "absent".to_string());
        push(
            checks,
            format!("{what} trailer {name}"),
            value,
            shown,
            observed.as_deref() == Some(value),
        );
    }
}

fn check_http(checks: &mut Vec<Check>, name: &str, expect: &HttpExpect, got: Option<&HttpOutcome>) {
    let Some(got) = got else {
        push(
            checks,
            format!("http {name}"),
            "a finished stream",
            "no stream",
            false,
        );
        return;
    };
    if let Some(e) = &expect.upstream {
        check_message(
            checks,
            &format!("http {name}: upstream"),
            e,
            got.upstream_request.as_ref(),
        );
    }
    if let Some(e) = &expect.downstream {
        check_message(
            checks,
            &format!("http {name}: downstream"),
            e,
            got.downstream_response.as_ref(),
        );
    }
    match (&expect.local_reply, &got.local_reply) {
        (None, _) => {}
        (Some(LocalReplyExpect::Sent(want)), observed) => push(
            checks,
            format!("http {name}: local reply sent"),
            want,
            observed.is_some(),
            *want == observed.is_some(),
        ),
        (Some(LocalReplyExpect::Reply(want)), observed) => {
            let what = format!("http {name}: local reply");
            match observed {
                None => push(checks, what, "a local reply", "none", false),
                Some(r) => {
                    if let Some(s) = want.status {
                        push(checks, format!("{what} status"), s, r.status, s == r.status);
                    }
                    if let Some(d) = &want.details {
                        push(checks, format!("{what} details"), d, &r.details, *d == r.details);
                    }
                    if let Some(b) = &want.body {
                        let body = lossy(&r.body);
                        push(
                            checks,
                            format!("{what} body"),
                            format!("{b:?}"),
                            format!("{body:?}"),
                            *b == body,
                        );
                    }
                }
            }
        }
    }
    if let Some(reset) = expect.reset {
        push(
            checks,
            format!("http {name}: reset"),
            reset,
            got.reset,
            reset == got.reset,
        );
    }
}

fn check_tcp(checks: &mut Vec<Check>, name: &str, expect: &TcpExpect, got: Option<&TcpOutcome>) {
    let Some(got) = got else {
        push(
            checks,
            format!("tcp {name}"),
            "a connection",
            "no connection",
            false,
        );
        return;
    };
    if let Some(want) = &expect.upstream_received {
        let observed = lossy(&got.upstream_received);
        push(
            checks,
            format!("tcp {name}: upstream received"),
            format!("{want:?}"),
            format!("{observed:?}"),
            *want == observed,
        );
    }
    if let Some(want) = &expect.downstream_received {
        let observed = lossy(&got.downstream_received);
        push(
            checks,
            format!("tcp {name}: downstream received"),
            format!("{want:?}"),
            format!("{observed:?}"),
            *want == observed,
        );
    }
    if let Some(want) = &expect.closed_by {
        let observed = got.closed_by.clone().unwrap_or_else(|| "nobody".to_string());
        push(
            checks,
            format!("tcp {name}: closed by"),
            want,
            &observed,
            *want == observed,
        );
    }
}

fn log_matches(e: &LogExpect, line: &crate::trace::LogLine) -> bool {
    let level_ok = e
        .level
        .as_ref()
        .is_none_or(|l| l.eq_ignore_ascii_case(line.level.name()));
    level_ok && line.message.contains(&e.contains)
}

fn event_matches(e: &TraceExpect, event: &TraceEvent) -> bool {
    match event {
        TraceEvent::Callback {
            name, args, result, ..
        } => {
            e.callback.as_ref().is_some_and(|c| c == name)
                && e.hostcall.is_none()
                && e.args.as_ref().is_none_or(|a| a == args)
                && e.result.is_none_or(|r| Some(r) == *result)
        }
        TraceEvent::Hostcall { name, args, status } => {
            e.hostcall.as_ref().is_some_and(|h| h == name)
                && e.callback.is_none()
                && e.args.as_ref().is_none_or(|a| a == args)
                && e.status.as_ref().is_none_or(|s| Some(s) == status.as_ref())
        }
    }
}

fn describe(e: &TraceExpect) -> String {
    let mut s = e
        .callback
        .clone()
        .or_else(|| e.hostcall.clone())
        .unwrap_or_default();
    if let Some(args) = &e.args {
        s.push_str(&format!("{args:?}"));
    }
    if let Some(r) = e.result {
        s.push_str(&format!(" -> {r}"));
    }
    if let Some(st) = &e.status {
        s.push_str(&format!(" -> {st}"));
    }
    s
}

fn check_run(checks: &mut Vec<Check>, expect: &Expectations, report: &RunReport) {
    for e in &expect.logs {
        let found = report.logs.iter().any(|l| log_matches(e, l));
        let level = e.level.clone().unwrap_or_else(|| "any".to_string());
        push(
            checks,
            format!("log ({level}) containing {:?}", e.contains),
            "present",
            if found { "present" } else { "absent" },
            found,
        );
    }
    for e in &expect.absent_logs {
        let found = report.logs.iter().find(|l| log_matches(e, l));
        let level = e.level.clone().unwrap_or_else(|| "any".to_string());
        push(
            checks,
            format!("no log ({level}) containing {:?}", e.contains),
            "absent",
            found.map_or("absent".to_string(), |l| format!("{:?}", l.message)),
            found.is_none(),
        );
    }
    if !expect.trace.is_empty() {
        // The longest prefix of the expected sequence found in order in one VM's trace.
        let best = report
            .trace
            .iter()
            .map(|t| {
                let mut matched = 0;
                for event in &t.events {
                    if matched < expect.trace.len() && event_matches(&expect.trace[matched], event) {
                        matched += 1;
                    }
                }
                matched
            })
            .max()
            .unwrap_or(0);
        let expected: Vec<String> = expect.trace.iter().map(describe).collect();
        let observed = if best == expect.trace.len() {
            "all, in order".to_string()
        } else {
            format!("stopped before {}", expected[best])
        };
        push(
            checks,
            "trace order".to_string(),
            expected.join(" > "),
            observed,
            best == expect.trace.len(),
        );
    }
    for name in &expect.absent_trace {
        let count: usize = report
            .trace
            .iter()
            .map(|t| {
                t.events
                    .iter()
                    .filter(|e| match e {
                        TraceEvent::Callback { name: n, .. } | TraceEvent::Hostcall { name: n, .. } => {
                            n == name
                        }
                    })
                    .count()
            })
            .sum();
        push(checks, format!("no {name} in the trace"), 0, count, count == 0);
    }
    for (name, want) in &expect.metrics {
        let observed = report.metrics.iter().find(|m| m.name == *name).map(|m| m.value);
        let shown = observed.map_or_else(|| "undefined".to_string(), |v| v.to_string());
        push(
            checks,
            format!("metric {name}"),
            want,
            shown,
            observed == Some(*want),
        );
    }
    for (thread, want) in &expect.vms {
        let count = report.vms.iter().filter(|v| v.thread == *thread).count();
        push(checks, format!("VMs on {thread}"), want, count, count == *want);
    }
    if let Some(wanted) = &expect.start_failures {
        if wanted.is_empty() {
            let observed: Vec<String> = report
                .start_failures
                .iter()
                .map(|f| format!("{}: {}", f.plugin, f.error))
                .collect();
            push(
                checks,
                "start failures".to_string(),
                "none",
                format!("{observed:?}"),
                observed.is_empty(),
            );
        }
        for w in wanted {
            let found = report
                .start_failures
                .iter()
                .any(|f| f.error.contains(w.as_str()) || f.plugin == *w);
            push(
                checks,
                format!("start failure {w:?}"),
                "present",
                if found { "present" } else { "absent" },
                found,
            );
        }
    }
}

/// Where a scenario's configuration comes from, as `pwconf check` and the tests resolve it.
#[derive(Debug, Clone, Default)]
pub struct ConfigSource {
    /// `--config`: wins over the scenario's own.
    pub config: Option<std::path::PathBuf>,
    /// MODULE: the code of every plugin (filled into plugins that name none, and replacing
    /// the code of a `--config` / `config_file` configuration).
    pub module: Option<std::path::PathBuf>,
}

/// Why a scenario's configuration could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ConfigSourceError {
    #[error(transparent)]
    Config(#[from] pwconf_config::ConfigError),
    #[error(transparent)]
    Module(#[from] pwconf_abi::inspect::ModuleError),
    #[error("{0}: no configuration: give a MODULE, --config, or `config:` / `config_file:` in the scenario")]
    Missing(String),
    #[error("{0}: the scenario's configuration cannot be serialized: {1}")]
    Serialize(String, String),
}

/// Puts `module` into every plugin of a short-form configuration that names no code.
fn fill_code(config: &mut serde_json::Value, module: &Path) {
    let code = serde_json::json!({"local": {"filename": module.display().to_string()}});
    let mut plugins: Vec<&mut serde_json::Value> = Vec::new();
    if let Some(map) = config.as_object_mut() {
        for (key, value) in map.iter_mut() {
            match key.as_str() {
                "http_filters" | "network_filters" => {
                    plugins.extend(value.as_array_mut().into_iter().flatten())
                }
                "services" => plugins.extend(
                    value
                        .as_array_mut()
                        .into_iter()
                        .flatten()
                        .filter_map(|s| s.get_mut("config")),
                ),
                _ => {}
            }
        }
    }
    for plugin in plugins {
        if let Some(vm) = plugin
            .get_mut("vm_config")
            .and_then(serde_json::Value::as_object_mut)
            && !vm.contains_key("code")
        {
            vm.insert("code".to_string(), code.clone());
        }
    }
}

/// With only a module: one HTTP filter (and a network filter when the scenario opens TCP
/// connections) named after the module, on wasmtime's runtime name.
fn default_config(scenario: &Scenario, module: &Path) -> serde_json::Value {
    let name = module
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let plugin = serde_json::json!({"name": name, "vm_config": {"runtime": "pwconf.wasmtime"}});
    let (http, tcp) = scenario.uses();
    let mut config = serde_json::json!({});
    if http || !tcp {
        config["http_filters"] = serde_json::json!([plugin.clone()]);
    }
    if tcp {
        config["network_filters"] = serde_json::json!([plugin]);
    }
    config
}

impl Scenario {
    /// The configuration to run: `--config`, else `config_file`, else the inline
    /// `config`, else a default built around the module.
    ///
    /// # Errors
    /// A configuration or module that does not load, or nothing to build one from.
    pub fn resolve_config(
        &self,
        scenario_path: &Path,
        source: &ConfigSource,
    ) -> Result<pwconf_config::HostConfig, ConfigSourceError> {
        let options = pwconf_config::LoadOptions::default();
        let base = scenario_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let file = source
            .config
            .clone()
            .or_else(|| self.config_file.as_ref().map(|f| base.join(f)));
        if let Some(path) = file {
            let mut config = pwconf_config::load_config(&path, &options)?;
            if let Some(module) = &source.module {
                let bytes = std::sync::Arc::new(pwconf_abi::inspect::load_module_file(module)?);
                let sha = pwconf_backend::artifact::sha256_hex(&bytes);
                let plugins = config
                    .http_filters
                    .iter_mut()
                    .chain(config.network_filters.iter_mut())
                    .chain(config.services.iter_mut().map(|s| &mut s.plugin));
                for plugin in plugins {
                    plugin.vm.code = bytes.clone();
                    plugin.vm.code_sha256 = sha.clone();
                    plugin.vm.code_origin = module.display().to_string();
                }
            }
            return Ok(config);
        }
        let shown = scenario_path.display().to_string();
        let mut inline = match (&self.config, &source.module) {
            (Some(config), _) => config.clone(),
            (None, Some(module)) => default_config(self, module),
            (None, None) => return Err(ConfigSourceError::Missing(shown)),
        };
        if let Some(module) = &source.module {
            let module = std::path::absolute(module).unwrap_or_else(|_| module.clone());
            fill_code(&mut inline, &module);
        }
        let text = serde_yaml_ng::to_string(&inline)
            .map_err(|e| ConfigSourceError::Serialize(shown.clone(), e.to_string()))?;
        Ok(pwconf_config::parse_config(
            &text,
            &format!("{shown} (config)"),
            base,
            &options,
        )?)
    }
}
