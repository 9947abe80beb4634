//! The scenario format: what a proxy would see (HTTP streams, TCP connections, time
//! passing, reconfigurations, foreign-function calls) and what it must observe. The
//! format is documented in the README; its JSON Schema (`spec/scenario.schema.json`) is
//! generated from these types, so the two cannot drift.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A scenario file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// One line saying what the scenario shows.
    #[serde(default)]
    pub description: String,
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
    pub steps: Vec<Step>,
    /// What must have been observed at the end.
    #[serde(default)]
    pub expect: Expectations,
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

/// One step: exactly one of its keys. Written as a one-key mapping (`- http: {...}`); the
/// schema says so (each variant is an object with one required key and no other), and
/// parsing refuses `{}` and two keys with the step's path.
#[derive(Debug, Clone, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// An HTTP request through the HTTP filters, answered by the scripted upstream.
    Http(Box<HttpStep>),
    /// A TCP connection through the network filters.
    Tcp(Box<TcpStep>),
    /// Moves the virtual clock forward (milliseconds), firing due ticks.
    AdvanceTime(u64),
    /// Gives a plugin a new configuration: a new root context replaces the old one.
    Reconfigure(Reconfigure),
    /// The host invokes a plugin's `proxy_on_foreign_function`.
    ForeignFunction(ForeignCall),
}

impl Step {
    /// Every key a step may have, in the order the format lists them.
    pub const KINDS: [&'static str; 5] = ["http", "tcp", "advance_time", "reconfigure", "foreign_function"];
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Step;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    "a step: a mapping with exactly one of {}",
                    Step::KINDS.join(", ")
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Step, A::Error> {
                let exactly_one =
                    || de::Error::custom(format!("a step has exactly one of {}", Step::KINDS.join(", ")));
                let Some(kind) = map.next_key::<String>()? else {
                    return Err(exactly_one());
                };
                let step = match kind.as_str() {
                    "http" => Step::Http(map.next_value()?),
                    "tcp" => Step::Tcp(map.next_value()?),
                    "advance_time" => Step::AdvanceTime(map.next_value()?),
                    "reconfigure" => Step::Reconfigure(map.next_value()?),
                    "foreign_function" => Step::ForeignFunction(map.next_value()?),
                    other => return Err(de::Error::unknown_field(other, &Step::KINDS)),
                };
                if map.next_key::<de::IgnoredAny>()?.is_some() {
                    return Err(exactly_one());
                }
                Ok(step)
            }
        }
        d.deserialize_map(V)
    }
}

/// A host-initiated foreign-function call into a plugin.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reconfigure {
    /// The plugin's name.
    pub plugin: String,
    /// The new configuration (text).
    #[serde(default)]
    pub configuration: String,
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
