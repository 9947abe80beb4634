//! The envelope around every precompiled artifact, and the on-disk artifact cache.
//!
//! Engines load artifacts with `unsafe` deserializers that trust their input. The envelope
//! makes that trust earned: it names the engine and its fingerprint (version, settings,
//! target) and carries a SHA-256 of the payload, so bytes from another engine, another
//! engine build, a truncated file or a flipped bit are refused with a clear message before
//! the engine sees them.
//!
//! Layout (integers little-endian):
//! `MAGIC (16) | format u32 | engine len u16 | engine | fingerprint len u16 | fingerprint |
//!  sha256(payload) (32) | payload len u64 | payload`

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

const MAGIC: &[u8; 16] = b"PWCONF-ARTIFACT\0";
const FORMAT: u32 = 1;

/// Why an artifact was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArtifactError {
    #[error("not a pwconf artifact")]
    NotAnArtifact,
    #[error("artifact format {found} is not supported (this build reads format {FORMAT})")]
    Format { found: u32 },
    #[error("artifact is truncated")]
    Truncated,
    #[error("artifact was made by engine {found}, not {expected}")]
    ForeignEngine { found: String, expected: String },
    #[error("artifact was made by another build of {engine} ({found}); this one is {expected}")]
    OtherBuild {
        engine: String,
        found: String,
        expected: String,
    },
    #[error("artifact payload is corrupt (checksum mismatch)")]
    Corrupt,
}

/// Wraps an engine's serialized module.
pub fn wrap(engine: &str, fingerprint: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 128);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    for text in [engine, fingerprint] {
        let len = u16::try_from(text.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&text.as_bytes()[..usize::from(len)]);
    }
    out.extend_from_slice(&Sha256::digest(payload));
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ArtifactError> {
        if self.bytes.len() < n {
            return Err(ArtifactError::Truncated);
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }
    fn text(&mut self) -> Result<String, ArtifactError> {
        let len = self.take(2)?;
        let len = u16::from_le_bytes([len[0], len[1]]);
        Ok(String::from_utf8_lossy(self.take(usize::from(len))?).into_owned())
    }
}

/// Checks the envelope and returns the engine's payload.
///
/// # Errors
/// Every [`ArtifactError`]; on success the payload is exactly what [`wrap`] was given.
pub fn unwrap<'a>(bytes: &'a [u8], engine: &str, fingerprint: &str) -> Result<&'a [u8], ArtifactError> {
    let mut r = Reader { bytes };
    if r.take(MAGIC.len()).map_err(|_| ArtifactError::NotAnArtifact)? != MAGIC {
        return Err(ArtifactError::NotAnArtifact);
    }
    let format = r.take(4)?;
    let format = u32::from_le_bytes([format[0], format[1], format[2], format[3]]);
    if format != FORMAT {
        return Err(ArtifactError::Format { found: format });
    }
    let found_engine = r.text()?;
    if found_engine != engine {
        return Err(ArtifactError::ForeignEngine {
            found: found_engine,
            expected: engine.to_string(),
        });
    }
    let found_fingerprint = r.text()?;
    if found_fingerprint != fingerprint {
        return Err(ArtifactError::OtherBuild {
            engine: engine.to_string(),
            found: found_fingerprint,
            expected: fingerprint.to_string(),
        });
    }
    let digest = r.take(32)?;
    let len = r.take(8)?;
    let len = u64::from_le_bytes([len[0], len[1], len[2], len[3], len[4], len[5], len[6], len[7]]);
    let len = usize::try_from(len).map_err(|_| ArtifactError::Truncated)?;
    let payload = r.take(len)?;
    if !r.bytes.is_empty() || Sha256::digest(payload).as_slice() != digest {
        return Err(ArtifactError::Corrupt);
    }
    Ok(payload)
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A directory of artifacts keyed by module hash and backend fingerprint.
#[derive(Debug, Clone)]
pub struct ArtifactCache {
    dir: PathBuf,
}

impl ArtifactCache {
    pub fn new(dir: impl Into<PathBuf>) -> ArtifactCache {
        ArtifactCache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file for a module on a backend: `<engine>-<sha256(wasm)>-<sha256(fingerprint)[..16]>.pwa`.
    pub fn path_for(&self, engine: &str, fingerprint: &str, wasm: &[u8]) -> PathBuf {
        let build = sha256_hex(fingerprint.as_bytes());
        self.dir
            .join(format!("{engine}-{}-{}.pwa", sha256_hex(wasm), &build[..16]))
    }

    /// The cached artifact, if one exists and can be read.
    pub fn get(&self, path: &Path) -> Option<Vec<u8>> {
        fs::read(path).ok()
    }

    /// Stores an artifact atomically: written to a temporary file in the same directory,
    /// then renamed, so a reader never sees half a file and concurrent writers do not mix.
    ///
    /// # Errors
    /// The directory cannot be created or written.
    pub fn put(&self, path: &Path, artifact: &[u8]) -> std::io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        tmp.write_all(artifact)?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map(drop).map_err(|e| e.error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_rejection() {
        let art = wrap("wasmer", "7.4.2 x86_64", b"payload");
        assert_eq!(unwrap(&art, "wasmer", "7.4.2 x86_64"), Ok(&b"payload"[..]));
        assert_eq!(unwrap(b"\0asm", "wasmer", "x"), Err(ArtifactError::NotAnArtifact));
        assert!(matches!(
            unwrap(&art, "wasmtime", "7.4.2 x86_64"),
            Err(ArtifactError::ForeignEngine { .. })
        ));
        assert!(matches!(
            unwrap(&art, "wasmer", "7.5.0 x86_64"),
            Err(ArtifactError::OtherBuild { .. })
        ));
        assert_eq!(
            unwrap(&art[..art.len() - 1], "wasmer", "7.4.2 x86_64"),
            Err(ArtifactError::Truncated)
        );
        let mut flipped = art.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(
            unwrap(&flipped, "wasmer", "7.4.2 x86_64"),
            Err(ArtifactError::Corrupt)
        );
        let mut longer = art.clone();
        longer.push(0);
        assert_eq!(
            unwrap(&longer, "wasmer", "7.4.2 x86_64"),
            Err(ArtifactError::Corrupt)
        );
    }
}
