//! YAML paths (`a.b[0].c`) and typed decoding of a subtree with its exact path.

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use serde_yaml_ng::Value;

use crate::error::{ConfigError, one_line};

/// `prefix.key`, or `key` at the top.
pub(crate) fn child(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// `prefix[index]`.
pub(crate) fn index(prefix: &str, index: usize) -> String {
    format!("{prefix}[{index}]")
}

/// How a path is shown: the document itself is `.`.
pub(crate) fn shown(path: &str) -> String {
    if path.is_empty() {
        ".".to_owned()
    } else {
        path.to_owned()
    }
}

/// Appends the path serde reported inside a subtree to the subtree's own path.
fn join(prefix: &str, sub: &serde_path_to_error::Path) -> String {
    let mut out = prefix.to_owned();
    for segment in sub.iter() {
        match segment {
            Segment::Seq { index: i } => out = index(&out, *i),
            Segment::Map { key } | Segment::Enum { variant: key } => out = child(&out, key),
            Segment::Unknown => out = child(&out, "?"),
        }
    }
    out
}

/// Decodes `value` (found at `path` in `file`) as `T`. An unknown field, a wrong type or a
/// missing field is a [`ConfigError::Invalid`] naming the exact path below `path`.
pub(crate) fn decode<T: DeserializeOwned>(value: &Value, path: &str, file: &str) -> Result<T, ConfigError> {
    serde_path_to_error::deserialize(value).map_err(|err| ConfigError::Invalid {
        file: file.to_owned(),
        path: shown(&join(path, err.path())),
        message: one_line(&err.inner().to_string()),
    })
}

/// What kind of YAML node this is, for messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Sequence(_) => "list",
        Value::Mapping(_) => "mapping",
        Value::Tagged(_) => "tagged value",
    }
}
