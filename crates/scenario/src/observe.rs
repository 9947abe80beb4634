//! What a host observed during a run: VMs, contexts, the ordered trace of callbacks and
//! hostcalls, log lines, start failures, every HTTP stream's and TCP connection's outcome,
//! and the metrics. Any host under test reports this ([`crate::HostUnderTest::finish`]);
//! expectations are judged against it. It serializes to the JSON `pwconf check` prints and
//! reads back from it (bytes are text, lossy UTF-8), so another host can send it.

use std::collections::BTreeMap;

use pwconf_abi::AbiVersion;
use pwconf_abi::types::LogLevel;
use serde::{Deserialize, Serialize};

/// One header: a name (stored lowercased for HTTP maps) and a value, both raw bytes.
pub type Pair = (Vec<u8>, Vec<u8>);

/// Everything a run observed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunReport {
    pub vms: Vec<VmReport>,
    pub contexts: Vec<ContextReport>,
    pub trace: Vec<VmTrace>,
    pub logs: Vec<LogLine>,
    pub start_failures: Vec<StartFailure>,
    pub http: BTreeMap<String, HttpOutcome>,
    pub tcp: BTreeMap<String, TcpOutcome>,
    /// Every metric the plugins defined, with its value at the end of the run.
    pub metrics: Vec<MetricValue>,
}

/// One VM as reported.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VmReport {
    pub thread: String,
    pub vm_id: String,
    pub key: String,
    pub abi: AbiVersion,
    pub failed: Option<String>,
    pub plugins: Vec<String>,
}

/// What a context is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextKind {
    Root,
    Http,
    Tcp,
}

/// One context as reported.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContextReport {
    pub thread: String,
    /// Index of the VM in the run's `vms`.
    pub vm: usize,
    pub id: u32,
    pub kind: ContextKind,
    pub root_id: u32,
    pub plugin: String,
}

/// The trace of one VM.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VmTrace {
    pub thread: String,
    pub vm: usize,
    pub events: Vec<TraceEvent>,
}

/// A plugin that could not start on a thread.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StartFailure {
    pub thread: String,
    pub plugin: String,
    pub error: String,
}

/// One step of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TraceEvent {
    /// The host called into the guest.
    Callback {
        name: String,
        args: Vec<i64>,
        /// The returned value, when the callback returns one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<i64>,
        /// Set when the callback did not return normally (an outcome name).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<String>,
    },
    /// The guest called a hostcall.
    Hostcall {
        name: String,
        args: Vec<i64>,
        /// The status (or errno) it answered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
    },
}

impl TraceEvent {
    /// The callback's or hostcall's name.
    pub fn name(&self) -> &str {
        match self {
            TraceEvent::Callback { name, .. } | TraceEvent::Hostcall { name, .. } => name,
        }
    }
}

/// One log line from `proxy_log` or WASI `fd_write`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    #[serde(with = "level_name")]
    pub level: LogLevel,
    pub message: String,
    /// The context the guest was acting on.
    pub context: u32,
    /// The plugin of that context (empty for the VM itself); shared, so a log line costs
    /// the host one allocation (its message).
    pub plugin: std::sync::Arc<str>,
}

/// A metric's value at the end of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetricValue {
    pub name: String,
    /// `counter`, `gauge` or `histogram`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Counter and gauge value; for a histogram, the sum of its samples.
    pub value: i64,
    /// Histogram samples recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u64>,
}

/// A request or a response: headers, body chunks and optional trailers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Message {
    #[serde(with = "text_pairs")]
    pub headers: Vec<Pair>,
    /// Frames not yet assembled into `body` (the host's working state, not reported).
    #[serde(skip)]
    pub chunks: Vec<Vec<u8>>,
    #[serde(with = "text")]
    pub body: Vec<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "text_pairs_opt")]
    pub trailers: Option<Vec<Pair>>,
    /// HTTP/2 METADATA entries (one frame after the headers).
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "text_pairs")]
    pub metadata: Vec<Pair>,
    /// The last frame (end of stream) arrived.
    pub complete: bool,
}

/// A local reply requested with `proxy_send_local_response`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalReply {
    pub status: u32,
    pub details: String,
    #[serde(with = "text")]
    pub body: Vec<u8>,
    #[serde(with = "text_pairs")]
    pub headers: Vec<Pair>,
    pub grpc_status: Option<u32>,
}

/// How a stream ended, as the downstream and upstream saw it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HttpOutcome {
    /// What reached the upstream (`None`: nothing was forwarded).
    pub upstream_request: Option<Message>,
    /// What reached the downstream client.
    pub downstream_response: Option<Message>,
    /// The local reply a filter sent, if one did.
    pub local_reply: Option<LocalReply>,
    /// A filter reset the stream (`proxy_close_stream`) or a failed VM closed it.
    pub reset: bool,
    /// The filter at which the stream waits, when it has not finished.
    pub stalled_at: Option<String>,
    pub finished: bool,
}

/// What the two ends of a TCP connection saw.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TcpOutcome {
    #[serde(with = "text")]
    pub upstream_received: Vec<u8>,
    #[serde(with = "text")]
    pub downstream_received: Vec<u8>,
    /// Who closed the connection: `downstream`, `upstream`, or `filter` (a filter's
    /// `proxy_close_stream` or a failed VM).
    pub closed_by: Option<String>,
    /// A filter asked to close, and the filters have not been told yet (host state).
    #[serde(skip)]
    pub close_pending: bool,
    pub finished: bool,
}

mod level_name {
    use pwconf_abi::types::LogLevel;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(level: &LogLevel, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&level.name().to_ascii_lowercase())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<LogLevel, D::Error> {
        let name = String::deserialize(d)?;
        LogLevel::ALL
            .iter()
            .copied()
            .find(|l| l.name().eq_ignore_ascii_case(&name))
            .ok_or_else(|| serde::de::Error::custom(format!("unknown log level {name:?}")))
    }
}

/// Bytes as text (lossy UTF-8), which is what a person reading a report wants.
pub mod text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Ok(String::deserialize(d)?.into_bytes())
    }
}

/// Header pairs as `[[name, value], ...]` text.
pub mod text_pairs {
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(pairs: &[super::Pair], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(pairs.len()))?;
        for (k, v) in pairs {
            seq.serialize_element(&[String::from_utf8_lossy(k), String::from_utf8_lossy(v)])?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<super::Pair>, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(d)?;
        Ok(pairs
            .into_iter()
            .map(|(k, v)| (k.into_bytes(), v.into_bytes()))
            .collect())
    }
}

mod text_pairs_opt {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(pairs: &Option<Vec<super::Pair>>, s: S) -> Result<S::Ok, S::Error> {
        match pairs {
            Some(p) => super::text_pairs::serialize(p, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<super::Pair>>, D::Error> {
        let pairs = Option::<Vec<(String, String)>>::deserialize(d)?;
        Ok(pairs.map(|p| {
            p.into_iter()
                .map(|(k, v)| (k.into_bytes(), v.into_bytes()))
                .collect()
        }))
    }
}
