//! The Wasm-related Envoy messages as written in YAML, decoded strictly: an unknown field
//! or a wrong type is an error with its path. Field names are the proto field names
//! (snake_case), as Envoy's own YAML examples write them.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_yaml_ng::{Mapping, Value};

/// `envoy.extensions.wasm.v3.PluginConfig`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PluginConfigMsg {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub root_id: String,
    pub vm_config: VmConfigMsg,
    #[serde(default)]
    pub configuration: Option<Value>,
    #[serde(default)]
    pub fail_open: Option<bool>,
    #[serde(default)]
    pub failure_policy: Option<FailurePolicy>,
    /// How a failed VM is reloaded under `FAIL_RELOAD` (ignored otherwise, as in Envoy).
    #[serde(default)]
    pub reload_config: Option<ReloadConfigMsg>,
    /// Accepted; pwconf's host does not model it.
    #[serde(default)]
    #[allow(dead_code)]
    pub allow_on_headers_stop_iteration: Option<bool>,
    /// Accepted and ignored: pwconf's host does not restrict capabilities.
    #[serde(default)]
    #[allow(dead_code)]
    pub capability_restriction_config: Option<Mapping>,
}

/// `envoy.extensions.wasm.v3.ReloadConfig`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReloadConfigMsg {
    #[serde(default)]
    pub backoff: Option<BackoffStrategyMsg>,
}

/// `envoy.extensions.wasm.v3.FailurePolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)]
pub(crate) enum FailurePolicy {
    UNSPECIFIED,
    FAIL_RELOAD,
    FAIL_CLOSED,
    FAIL_OPEN,
}

/// `envoy.extensions.wasm.v3.VmConfig`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VmConfigMsg {
    #[serde(default)]
    pub vm_id: String,
    pub runtime: String,
    pub code: AsyncDataSourceMsg,
    #[serde(default)]
    pub configuration: Option<Value>,
    #[serde(default)]
    pub environment_variables: Option<EnvironmentVariablesMsg>,
    #[serde(default)]
    pub allow_precompiled: bool,
    /// Accepted; there is no xDS NACK in pwconf.
    #[serde(default)]
    #[allow(dead_code)]
    pub nack_on_code_cache_miss: bool,
}

/// `envoy.extensions.wasm.v3.EnvironmentVariables`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnvironmentVariablesMsg {
    #[serde(default)]
    pub host_env_keys: Vec<String>,
    #[serde(default)]
    pub key_values: BTreeMap<String, String>,
}

/// `envoy.config.core.v3.AsyncDataSource`: exactly one of the two.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsyncDataSourceMsg {
    #[serde(default)]
    pub local: Option<DataSourceMsg>,
    #[serde(default)]
    pub remote: Option<RemoteDataSourceMsg>,
}

/// `envoy.config.core.v3.DataSource`: exactly one field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DataSourceMsg {
    #[serde(default)]
    pub filename: Option<String>,
    #[serde(default)]
    pub inline_bytes: Option<String>,
    #[serde(default)]
    pub inline_string: Option<String>,
    /// Envoy's, refused with a clear message.
    #[serde(default)]
    pub environment_variable: Option<String>,
    /// Envoy's, refused with a clear message.
    #[serde(default)]
    pub watched_directory: Option<Value>,
}

/// `envoy.config.core.v3.RemoteDataSource`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RemoteDataSourceMsg {
    pub http_uri: HttpUriMsg,
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub retry_policy: Option<RetryPolicyMsg>,
}

/// `envoy.config.core.v3.HttpUri`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HttpUriMsg {
    pub uri: String,
    /// Accepted: pwconf fetches the URI directly, not through the cluster.
    #[serde(default)]
    #[allow(dead_code)]
    pub cluster: Option<String>,
    pub timeout: DurationMsg,
}

/// `envoy.config.core.v3.RetryPolicy`, the two fields a remote data source uses.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetryPolicyMsg {
    #[serde(default)]
    pub num_retries: Option<u32>,
    #[serde(default)]
    pub retry_back_off: Option<BackoffStrategyMsg>,
}

/// `envoy.config.core.v3.BackoffStrategy`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BackoffStrategyMsg {
    pub base_interval: DurationMsg,
    #[serde(default)]
    pub max_interval: Option<DurationMsg>,
}

/// The body of `envoy.extensions.filters.{http,network}.wasm.v3.Wasm`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WasmMsg {
    pub config: PluginConfigMsg,
}

/// The body of `envoy.extensions.wasm.v3.WasmService`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WasmServiceMsg {
    #[serde(default)]
    pub singleton: bool,
    pub config: PluginConfigMsg,
}

/// `udpa.type.v1.TypedStruct` / `xds.type.v3.TypedStruct`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TypedStructMsg {
    #[serde(rename = "@type")]
    #[allow(dead_code)]
    pub type_: String,
    pub type_url: String,
    #[serde(default)]
    pub value: Option<Value>,
}

/// pwconf's short form: the same messages without the bootstrap around them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShortFormMsg {
    #[serde(default)]
    pub workers: Option<usize>,
    #[serde(default)]
    pub http_filters: Vec<PluginConfigMsg>,
    #[serde(default)]
    pub network_filters: Vec<PluginConfigMsg>,
    #[serde(default)]
    pub services: Vec<WasmServiceMsg>,
    #[serde(default)]
    pub clusters: Vec<ClusterMsg>,
}

/// A short-form cluster: its name, or its name and the `host:port` of its one endpoint.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum ClusterMsg {
    Name(String),
    Endpoint { name: String, address: String },
}

/// The top-level keys that make a document the short form.
pub(crate) const SHORT_FORM_KEYS: &[&str] = &[
    "http_filters",
    "network_filters",
    "services",
    "workers",
    "clusters",
];

/// `google.protobuf.Duration` as Envoy's YAML writes it: a string with an `s` suffix
/// (`"10s"`, `"0.5s"`), pwconf also takes `ms` (`"250ms"`), or `{seconds, nanos}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DurationMsg(pub Duration);

/// The largest Duration protobuf allows: 10,000 years.
const MAX_SECONDS: u64 = 315_576_000_000;

impl<'de> Deserialize<'de> for DurationMsg {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DurationVisitor)
    }
}

struct DurationVisitor;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DurationParts {
    #[serde(default)]
    seconds: i64,
    #[serde(default)]
    nanos: i32,
}

impl<'de> Visitor<'de> for DurationVisitor {
    type Value = DurationMsg;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a duration such as \"10s\", \"0.5s\", \"250ms\" or {seconds, nanos}")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<DurationMsg, E> {
        parse_duration(text).map(DurationMsg).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DurationMsg, A::Error> {
        let parts = DurationParts::deserialize(de::value::MapAccessDeserializer::new(map))?;
        let seconds =
            u64::try_from(parts.seconds).map_err(|_| de::Error::custom("a duration cannot be negative"))?;
        let nanos = u32::try_from(parts.nanos)
            .ok()
            .filter(|n| *n < 1_000_000_000)
            .ok_or_else(|| de::Error::custom("nanos must be in 0..=999999999"))?;
        if seconds > MAX_SECONDS {
            return Err(de::Error::custom("duration is too long"));
        }
        Ok(DurationMsg(Duration::new(seconds, nanos)))
    }
}

/// Parses `"<decimal>s"` or `"<decimal>ms"`.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("invalid duration `{text}`: expected e.g. \"10s\", \"0.5s\" or \"250ms\"");
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(format!(
            "invalid duration `{text}`: a duration cannot be negative"
        ));
    }
    let (number, nanos_per_unit, fraction_digits) = if let Some(n) = trimmed.strip_suffix("ms") {
        (n, 1_000_000u64, 6usize)
    } else if let Some(n) = trimmed.strip_suffix('s') {
        (n, 1_000_000_000u64, 9usize)
    } else {
        return Err(bad());
    };
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty())
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > fraction_digits
    {
        return Err(bad());
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    // The fraction, scaled to nanoseconds.
    let mut fraction_nanos: u64 = 0;
    for i in 0..fraction_digits {
        let digit = fraction.as_bytes().get(i).map_or(0, |b| u64::from(b - b'0'));
        fraction_nanos = fraction_nanos * 10 + digit;
    }
    let fraction_nanos = fraction_nanos * (nanos_per_unit / 10u64.pow(fraction_digits as u32));
    let total_nanos = u128::from(whole) * u128::from(nanos_per_unit) + u128::from(fraction_nanos);
    let seconds = total_nanos / 1_000_000_000;
    if seconds > u128::from(MAX_SECONDS) {
        return Err(format!("invalid duration `{text}`: too long"));
    }
    let seconds = u64::try_from(seconds).map_err(|_| bad())?;
    let nanos = u32::try_from(total_nanos % 1_000_000_000).map_err(|_| bad())?;
    Ok(Duration::new(seconds, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("0.5s"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration(".25s"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5ms"), Ok(Duration::from_micros(1500)));
        assert_eq!(parse_duration("1.000000001s"), Ok(Duration::new(1, 1)));
        for bad in [
            "",
            "s",
            "ms",
            "10",
            "-1s",
            "1.s.",
            "1e3s",
            "1.0000000001s",
            "abc",
            "1 m",
            "99999999999999999999999s",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
