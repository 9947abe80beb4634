//! ABI versions and their marker exports: the enum is generated from `spec/versions.yaml`
//! (`build.rs`), the rest is written once for every version.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

include!(concat!(env!("OUT_DIR"), "/versions.rs"));

impl AbiVersion {
    /// Position in [`AbiVersion::ALL`], for tables indexed by version.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_marker(name: &str) -> Option<AbiVersion> {
        AbiVersion::ALL.into_iter().find(|v| v.marker() == name)
    }
}

impl fmt::Display for AbiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not a released ABI version.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown ABI version \"{0}\" (known: {known})", known = AbiVersion::ALL.map(|v| v.as_str()).join(", "))]
pub struct UnknownVersion(pub String);

impl FromStr for AbiVersion {
    type Err = UnknownVersion;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AbiVersion::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownVersion(s.to_string()))
    }
}

impl Serialize for AbiVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AbiVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
