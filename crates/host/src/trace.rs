//! What a run observed: the ordered trace of callbacks and hostcalls, and log lines.

use pwconf_abi::types::LogLevel;
use serde::Serialize;

/// One step of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TraceEvent {
    /// The host called into the guest.
    Callback {
        name: String,
        args: Vec<i64>,
        /// The returned value, when the callback returns one.
        #[serde(skip_serializing_if = "Option::is_none")]
        result: Option<i64>,
        /// Set when the callback did not return normally (an outcome name).
        #[serde(skip_serializing_if = "Option::is_none")]
        outcome: Option<String>,
    },
    /// The guest called a hostcall.
    Hostcall {
        name: String,
        args: Vec<i64>,
        /// The status (or errno) it answered.
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<String>,
    },
}

/// One log line from `proxy_log` or WASI `fd_write`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogLine {
    #[serde(serialize_with = "level_name")]
    pub level: LogLevel,
    pub message: String,
    /// The context the guest was acting on.
    pub context: u32,
    /// The plugin of that context (empty for the VM itself); shared, so a log line costs
    /// the host one allocation (its message).
    pub plugin: std::sync::Arc<str>,
}

fn level_name<S: serde::Serializer>(level: &LogLevel, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&level.name().to_ascii_lowercase())
}

/// Serializes bytes as text (lossy UTF-8), which is what a person reading a report wants.
pub mod lossy {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(bytes))
    }
}

/// Serializes header pairs as `[[name, value], ...]` text.
pub mod lossy_pairs {
    use serde::ser::SerializeSeq;

    pub fn serialize<S: serde::Serializer>(pairs: &[crate::pairs::Pair], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(pairs.len()))?;
        for (k, v) in pairs {
            seq.serialize_element(&[String::from_utf8_lossy(k), String::from_utf8_lossy(v)])?;
        }
        seq.end()
    }
}
