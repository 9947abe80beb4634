//! The one error type of this crate.
//!
//! Every message is one line of the form `<file>: <where>: <problem>`, where `<where>` is
//! the YAML path of the offending node (`static_resources.listeners[0]...`), `.` for the
//! document itself, or `line L column C` for a YAML syntax error. Nothing here carries an
//! error `source`: the text of the cause is already part of the message, so a caller that
//! prints the chain (`{:#}` with anyhow) does not print it twice.

/// Why a configuration could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The configuration file is missing, unreadable or not UTF-8.
    #[error("{file}: {message}")]
    Read { file: String, message: String },

    /// The text is not YAML.
    #[error("{file}: line {line} column {column}: YAML syntax error: {message}")]
    Syntax {
        file: String,
        /// 1-based; 0 when the parser gave no position.
        line: usize,
        /// 1-based; 0 when the parser gave no position.
        column: usize,
        message: String,
    },

    /// A node has an unknown field, a wrong type, a missing field or a value the model
    /// does not accept (unknown runtime, wrong type URL, duplicate name, ...).
    #[error("{file}: {path}: {message}")]
    Invalid {
        file: String,
        path: String,
        message: String,
    },

    /// A plugin's code could not be loaded: an unreadable local file, invalid WAT, bad
    /// base64, or bytes that are not a Wasm module.
    #[error("{file}: {path}: {message}")]
    Code {
        file: String,
        path: String,
        message: String,
    },

    /// Remote code could not be fetched, after every attempt.
    #[error("{file}: {path}: fetching {uri} failed after {attempts} attempt(s): {message}")]
    Fetch {
        file: String,
        path: String,
        uri: String,
        attempts: u32,
        message: String,
    },

    /// Remote code was fetched but its SHA-256 is not the one the configuration names.
    /// Nothing is cached and no plugin starts.
    #[error("{file}: {path}: sha256 mismatch for {uri}: expected {expected}, got {actual}")]
    Sha256Mismatch {
        file: String,
        path: String,
        uri: String,
        expected: String,
        actual: String,
    },

    /// The remote code cache (`LoadOptions::cache_dir`) could not be written.
    #[error("{file}: {path}: remote code cache {dir}: {message}")]
    Cache {
        file: String,
        path: String,
        dir: String,
        message: String,
    },
}

impl ConfigError {
    /// The configuration file (or the `source_name` given to `parse_config`).
    pub fn file(&self) -> &str {
        match self {
            ConfigError::Read { file, .. }
            | ConfigError::Syntax { file, .. }
            | ConfigError::Invalid { file, .. }
            | ConfigError::Code { file, .. }
            | ConfigError::Fetch { file, .. }
            | ConfigError::Sha256Mismatch { file, .. }
            | ConfigError::Cache { file, .. } => file,
        }
    }

    /// The YAML path of the node at fault, when there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            ConfigError::Read { .. } | ConfigError::Syntax { .. } => None,
            ConfigError::Invalid { path, .. }
            | ConfigError::Code { path, .. }
            | ConfigError::Fetch { path, .. }
            | ConfigError::Sha256Mismatch { path, .. }
            | ConfigError::Cache { path, .. } => Some(path),
        }
    }
}

/// Folds a multi-line message (WAT diagnostics, some OS errors) into one line.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
