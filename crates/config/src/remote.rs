//! Remote code: fetch over HTTP(S) with a timeout and retries, check the SHA-256, and
//! keep a copy in the cache directory.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::bytes::sha256_hex;

/// The largest module pwconf downloads.
const MAX_BODY: u64 = 256 * 1024 * 1024;

/// What Envoy does when `retry_policy` is absent: one retry.
pub(crate) const DEFAULT_RETRIES: u32 = 1;
/// Envoy's default back-off base when `retry_back_off` is absent.
pub(crate) const DEFAULT_BASE_INTERVAL: Duration = Duration::from_secs(1);
/// Envoy's default back-off ceiling is ten times the base.
pub(crate) const MAX_INTERVAL_FACTOR: u32 = 10;

/// One remote code source, checked and with its defaults applied.
#[derive(Debug, Clone)]
pub(crate) struct Remote {
    pub uri: String,
    pub timeout: Duration,
    /// Lower-case hex.
    pub sha256: String,
    pub num_retries: u32,
    pub base_interval: Duration,
    pub max_interval: Duration,
}

#[derive(Debug)]
pub(crate) enum RemoteError {
    Fetch { attempts: u32, message: String },
    Mismatch { actual: String },
    Cache { dir: PathBuf, message: String },
}

/// The code of `remote`: from `cache_dir` when a copy with the right hash is there,
/// otherwise fetched (and then cached). A wrong hash is never retried and never cached.
pub(crate) fn load(remote: &Remote, cache_dir: Option<&Path>) -> Result<Vec<u8>, RemoteError> {
    let cached = cache_dir.map(|dir| dir.join(format!("{}.wasm", remote.sha256)));
    if let Some(file) = &cached
        && let Ok(bytes) = std::fs::read(file)
        && sha256_hex(&bytes) == remote.sha256
    {
        return Ok(bytes);
    }
    let bytes = fetch(remote)?;
    let actual = sha256_hex(&bytes);
    if actual != remote.sha256 {
        return Err(RemoteError::Mismatch { actual });
    }
    if let (Some(dir), Some(file)) = (cache_dir, &cached) {
        store(dir, file, &bytes).map_err(|message| RemoteError::Cache {
            dir: dir.to_owned(),
            message,
        })?;
    }
    Ok(bytes)
}

/// Writes `bytes` to `file` in `dir` atomically: a temporary file in the same directory,
/// then a rename.
fn store(dir: &Path, file: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|err| format!("cannot create it: {err}"))?;
    let mut temp =
        tempfile::NamedTempFile::new_in(dir).map_err(|err| format!("cannot create a file in it: {err}"))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|err| format!("cannot write: {err}"))?;
    temp.persist(file)
        .map_err(|err| format!("cannot write {}: {}", file.display(), err.error))?;
    Ok(())
}

/// GETs the URI up to `num_retries + 1` times; only a 200 with a body counts.
fn fetch(remote: &Remote) -> Result<Vec<u8>, RemoteError> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(remote.timeout))
        .http_status_as_error(false)
        .user_agent(concat!("pwconf/", env!("CARGO_PKG_VERSION")))
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let attempts = remote.num_retries.saturating_add(1);
    let mut delay = remote.base_interval;
    let mut last_error = String::new();
    for attempt in 1..=attempts {
        if attempt > 1 {
            std::thread::sleep(delay);
            delay = delay.saturating_mul(2).min(remote.max_interval);
        }
        match fetch_once(&agent, &remote.uri) {
            Ok(bytes) => return Ok(bytes),
            Err(message) => last_error = message,
        }
    }
    Err(RemoteError::Fetch {
        attempts,
        message: last_error,
    })
}

fn fetch_once(agent: &ureq::Agent, uri: &str) -> Result<Vec<u8>, String> {
    let mut response = agent.get(uri).call().map_err(|err| err.to_string())?;
    let status = response.status();
    if status != ureq::http::StatusCode::OK {
        return Err(format!("HTTP status {status}"));
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(|err| format!("reading the body: {err}"))?;
    if bytes.is_empty() {
        return Err("the response body is empty".to_owned());
    }
    Ok(bytes)
}
