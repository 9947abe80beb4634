//! Bytes on the wire: a JSON string when they are UTF-8 (bodies, configurations and log
//! text almost always are), else `{"base64": "..."}`, so any byte string round-trips.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A byte string: text, or `{"base64": ...}` for bytes that are not UTF-8.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Data(pub Vec<u8>);

impl Data {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    /// The bytes as text, invalid UTF-8 replaced (for messages and reports).
    pub fn lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Data {
    fn from(s: &str) -> Data {
        Data(s.as_bytes().to_vec())
    }
}

impl From<String> for Data {
    fn from(s: String) -> Data {
        Data(s.into_bytes())
    }
}

impl From<Vec<u8>> for Data {
    fn from(b: Vec<u8>) -> Data {
        Data(b)
    }
}

impl From<&[u8]> for Data {
    fn from(b: &[u8]) -> Data {
        Data(b.to_vec())
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Base64 {
    base64: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Form {
    Text(String),
    Encoded(Base64),
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => s.serialize_str(text),
            Err(_) => Base64 {
                base64: STANDARD.encode(&self.0),
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Data, D::Error> {
        match Form::deserialize(d)
            .map_err(|_| serde::de::Error::custom("expected a string or {\"base64\": \"...\"}"))?
        {
            Form::Text(t) => Ok(Data(t.into_bytes())),
            Form::Encoded(b) => STANDARD
                .decode(b.base64.as_bytes())
                .map(Data)
                .map_err(|e| serde::de::Error::custom(format!("invalid base64: {e}"))),
        }
    }
}

impl JsonSchema for Data {
    fn schema_name() -> Cow<'static, str> {
        "Data".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Bytes: a string when they are UTF-8, else {\"base64\": \"...\"} (standard alphabet, padded).",
            "oneOf": [
                {"type": "string"},
                {"type": "object", "properties": {"base64": {"type": "string"}}, "required": ["base64"], "additionalProperties": false}
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Data;

    #[test]
    fn text_stays_text_and_other_bytes_go_base64() {
        let text = serde_json::to_string(&Data::from("héllo")).unwrap_or_default();
        assert_eq!(text, "\"héllo\"");
        let raw = Data(vec![0xff, 0x00, 0x41]);
        let json = serde_json::to_string(&raw).unwrap_or_default();
        assert_eq!(json, "{\"base64\":\"/wBB\"}");
        let back: Data = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, raw);
        assert!(serde_json::from_str::<Data>("{\"base64\":\"***\"}").is_err());
        assert!(serde_json::from_str::<Data>("12").is_err());
    }
}
