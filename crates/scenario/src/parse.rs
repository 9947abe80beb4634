//! Reading scenario files: YAML to [`Scenario`], every error naming the file and the
//! YAML path of what is wrong; and the format's JSON Schema.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::model::{Scenario, Step};

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
    parse_beside(text, file, &[])
}

/// Parses scenario text whose top level may also hold `extra` keys that another format
/// built on scenarios reads itself (the conformance suite's case header); they are
/// skipped here, every other unknown key is still an error.
///
/// # Errors
/// As [`parse`].
pub fn parse_beside(text: &str, file: &str, extra: &[&str]) -> Result<Scenario, ScenarioError> {
    if let Some(line) = pwconf_config::yaml_depth::too_deep_at(text) {
        return Err(ScenarioError {
            file: file.to_string(),
            message: format!(
                "line {line}: collections nested deeper than {} levels",
                pwconf_config::yaml_depth::MAX_YAML_FLOW_DEPTH
            ),
        });
    }
    let de = serde_yaml_ng::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(de, &mut track);
    let result = Scenario::deserialize(SkipKeys {
        inner: tracked,
        extra,
    });
    let scenario = result.map_err(|err| {
        let path = track.path().to_string();
        let message = err.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
        ScenarioError {
            file: file.to_string(),
            message: if path.is_empty() || path == "." {
                message
            } else {
                format!("{path}: {message}")
            },
        }
    })?;
    for (i, step) in scenario.steps.iter().enumerate() {
        if let Step::Tcp(tcp) = step {
            for (j, e) in tcp.events.iter().enumerate() {
                let kinds = usize::from(e.downstream.is_some())
                    + usize::from(e.upstream.is_some())
                    + usize::from(e.close.is_some());
                if kinds != 1 || (e.end && e.close.is_some()) {
                    return Err(ScenarioError {
                        file: file.to_string(),
                        message: format!(
                            "steps[{i}].tcp.events[{j}]: an event has exactly one of downstream, upstream, close"
                        ),
                    });
                }
            }
        }
    }
    Ok(scenario)
}

/// A deserializer whose top-level mapping hides the `extra` keys (and their values)
/// from the visitor; nested values come from the inner deserializer untouched, so their
/// errors keep their paths and lines.
struct SkipKeys<'a, D> {
    inner: D,
    extra: &'a [&'a str],
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for SkipKeys<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(SkipVisitor {
            inner: visitor,
            extra: self.extra,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_struct(
            name,
            fields,
            SkipVisitor {
                inner: visitor,
                extra: self.extra,
            },
        )
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

struct SkipVisitor<'a, V> {
    inner: V,
    extra: &'a [&'a str],
}

impl<'de, V: Visitor<'de>> Visitor<'de> for SkipVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(SkipMap {
            inner: map,
            extra: self.extra,
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }
}

struct SkipMap<'a, A> {
    inner: A,
    extra: &'a [&'a str],
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for SkipMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let mut seed = Some(seed);
        loop {
            let Some(wanted) = seed.take() else {
                return Ok(None);
            };
            // The key is read through the inner map, so an unknown one is reported with its
            // path and line like any other error.
            let key = self.inner.next_key_seed(KeySeed {
                seed: wanted,
                extra: self.extra,
            })?;
            match key {
                None => return Ok(None),
                Some(Key::Kept(value)) => return Ok(Some(value)),
                Some(Key::Skipped(unused)) => {
                    self.inner.next_value::<IgnoredAny>()?;
                    seed = Some(unused);
                }
            }
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}

/// A top-level key: one the visitor reads, or one of the `extra` keys (its seed unused).
enum Key<V, S> {
    Kept(V),
    Skipped(S),
}

struct KeySeed<'a, K> {
    seed: K,
    extra: &'a [&'a str],
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, K> {
    type Value = Key<K::Value, K>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for KeySeed<'_, K> {
    type Value = Key<K::Value, K>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        if self.extra.contains(&key) {
            return Ok(Key::Skipped(self.seed));
        }
        self.seed
            .deserialize(de::value::StrDeserializer::<E>::new(key))
            .map(Key::Kept)
    }
}
