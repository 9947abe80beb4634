//! Plugin and VM `configuration` as bytes, base64, and hashing.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_yaml_ng::Value;
use sha2::{Digest, Sha256};

use crate::path::child;

pub(crate) const STRING_VALUE: &str = "google.protobuf.StringValue";
pub(crate) const BYTES_VALUE: &str = "google.protobuf.BytesValue";

/// The message name of a type URL: what follows its last `/`
/// (`type.googleapis.com/google.protobuf.StringValue` → `google.protobuf.StringValue`).
pub(crate) fn type_name(type_url: &str) -> &str {
    type_url.rsplit('/').next().unwrap_or(type_url)
}

/// A `configuration` field (a `google.protobuf.Any` in Envoy) as the bytes the plugin
/// receives:
/// - absent or null: empty;
/// - `{"@type": ".../google.protobuf.StringValue", value: "..."}`: the string's bytes;
/// - `{"@type": ".../google.protobuf.BytesValue", value: "<base64>"}`: the decoded bytes;
/// - a plain string: its bytes;
/// - anything else (a mapping, a list, a number, a boolean, an `Any` of another type):
///   its compact JSON text, keys in the order written (an `Any` keeps its `@type`).
///
/// An error is `(path, message)`.
pub(crate) fn configuration_bytes(value: Option<&Value>, path: &str) -> Result<Vec<u8>, (String, String)> {
    let value = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::String(text)) => return Ok(text.as_bytes().to_vec()),
        Some(value) => value,
    };
    if let Value::Mapping(map) = value
        && let Some(type_url) = map.get("@type")
    {
        let Value::String(type_url) = type_url else {
            return Err((
                child(path, "@type"),
                "`@type` must be a string (a type URL)".to_owned(),
            ));
        };
        let wrapper = type_name(type_url);
        if wrapper == STRING_VALUE || wrapper == BYTES_VALUE {
            for (key, _) in map {
                let known = matches!(key.as_str(), Some("@type" | "value"));
                if !known {
                    let key = key.as_str().unwrap_or("?");
                    return Err((
                        child(path, key),
                        format!("unknown field `{key}` in a {wrapper}, expected `@type`, `value`"),
                    ));
                }
            }
            let text = match map.get("value") {
                None | Some(Value::Null) => "",
                Some(Value::String(text)) => text.as_str(),
                Some(other) => {
                    return Err((
                        child(path, "value"),
                        format!("invalid type: {}, expected a string", crate::path::kind(other)),
                    ));
                }
            };
            if wrapper == STRING_VALUE {
                return Ok(text.as_bytes().to_vec());
            }
            return decode_base64(text).map_err(|message| (child(path, "value"), message));
        }
    }
    serde_json::to_vec(value).map_err(|err| (path.to_owned(), format!("cannot be written as JSON: {err}")))
}

/// Decodes base64 in the standard alphabet, as protobuf's JSON mapping writes `bytes`.
/// Padding is optional and ASCII whitespace (line breaks of a folded YAML scalar) is
/// skipped.
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    ENGINE
        .decode(compact.as_bytes())
        .map_err(|err| format!("invalid base64 (standard alphabet): {err}"))
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml_ng::from_str(text).unwrap_or(Value::Null)
    }

    #[test]
    fn configuration_forms() {
        let cases: &[(&str, &[u8])] = &[
            ("~", b""),
            ("plain text", b"plain text"),
            ("'{\"a\": 1}'", b"{\"a\": 1}"),
            (
                "{'@type': type.googleapis.com/google.protobuf.StringValue, value: hi}",
                b"hi",
            ),
            (
                "{'@type': type.googleapis.com/google.protobuf.BytesValue, value: aGVsbG8=}",
                b"hello",
            ),
            (
                "{'@type': type.googleapis.com/google.protobuf.BytesValue, value: aGVsbG8}",
                b"hello",
            ),
            ("{b: 1, a: [true, x]}", b"{\"b\":1,\"a\":[true,\"x\"]}"),
            ("[1, 2]", b"[1,2]"),
            ("42", b"42"),
            ("true", b"true"),
            (
                "{'@type': type.googleapis.com/google.protobuf.Struct, value: {k: v}}",
                b"{\"@type\":\"type.googleapis.com/google.protobuf.Struct\",\"value\":{\"k\":\"v\"}}",
            ),
        ];
        for (text, expected) in cases {
            let value = yaml(text);
            assert_eq!(
                configuration_bytes(Some(&value), "c").as_deref(),
                Ok(*expected),
                "{text}"
            );
        }
        assert_eq!(configuration_bytes(None, "c"), Ok(Vec::new()));
    }

    #[test]
    fn configuration_errors() {
        let bad = yaml("{'@type': type.googleapis.com/google.protobuf.StringValue, value: 1}");
        assert_eq!(
            configuration_bytes(Some(&bad), "c").map_err(|e| e.0),
            Err("c.value".into())
        );
        let bad = yaml("{'@type': type.googleapis.com/google.protobuf.StringValue, valu: x}");
        assert_eq!(
            configuration_bytes(Some(&bad), "c").map_err(|e| e.0),
            Err("c.valu".into())
        );
        let bad = yaml("{'@type': type.googleapis.com/google.protobuf.BytesValue, value: '!!'}");
        assert_eq!(
            configuration_bytes(Some(&bad), "c").map_err(|e| e.0),
            Err("c.value".into())
        );
    }

    #[test]
    fn base64_and_sha() {
        assert_eq!(decode_base64("AGFzbQEAAAA="), Ok(b"\0asm\x01\0\0\0".to_vec()));
        assert_eq!(decode_base64("AGFz\n bQEAAAA"), Ok(b"\0asm\x01\0\0\0".to_vec()));
        assert!(decode_base64("AGF-bQ").is_err());
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
