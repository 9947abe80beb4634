//! pwconf's configuration: the YAML a user would write for Envoy, read into the typed
//! model the host runs.
//!
//! Two shapes are accepted:
//! - **an Envoy bootstrap** (`static_resources`, `bootstrap_extensions`, ...): HTTP
//!   plugins are the `envoy.filters.http.wasm` entries of every
//!   `envoy.filters.network.http_connection_manager`'s `http_filters`, network plugins are
//!   the `envoy.filters.network.wasm` listener filters, services are the
//!   `envoy.bootstrap.wasm` bootstrap extensions, and `static_resources.clusters[].name`
//!   are the clusters. Everything else in the bootstrap is ignored, but its top-level keys
//!   must be Envoy's.
//! - **the short form**, detected by its top-level keys: `http_filters` and
//!   `network_filters` (lists of `PluginConfig`), `services` (`{singleton, config}`),
//!   `workers` and `clusters` (a list of names, or `{name, address}`).
//!
//! A filter's `typed_config` is either the Wasm message itself (`"@type":
//! type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm`, `config: ...`) or a
//! `TypedStruct` (`udpa.type.v1` or `xds.type.v3`) whose `type_url` names it and whose
//! `value` holds it. A filter counts as Wasm when its name is the Wasm filter's or its
//! type URL is the Wasm type (Envoy picks the extension by type URL).
//!
//! Plugin and VM `configuration` become bytes: absent is empty, a
//! `google.protobuf.StringValue` is its string, a `google.protobuf.BytesValue` is its
//! base64-decoded value, a plain YAML string is its bytes, and any other YAML value (a
//! mapping, a list, a number, a boolean, an `Any` of another type) is its compact JSON
//! text, keys in the order written.
//!
//! Module code is read (`local.filename`, relative to the configuration file's folder;
//! WAT text is compiled), decoded (`local.inline_bytes`, base64), taken as written
//! (`local.inline_string`, WAT compiled), or fetched (`remote`, checked against its
//! `sha256` and cached under `LoadOptions::cache_dir` as `<sha256>.wasm`).
//!
//! Every error is a [`ConfigError`] whose message is one line:
//! `<file>: <yaml path>: <problem>`.
//!
//! One job: configurations. Neighbours: it depends on no other pwconf crate; the scenario
//! crate resolves a scenario's configuration with it and the host runs the
//! [`HostConfig`] it produces.

mod bootstrap;
mod bytes;
mod error;
mod loader;
mod messages;
mod path;
mod remote;
mod wire;
pub mod yaml_depth;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Lower-case hex SHA-256, as [`VmConfig::code_sha256`] holds it.
pub use bytes::sha256_hex;
pub use error::ConfigError;

/// Everything the host needs from a configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostConfig {
    /// Worker threads (short form only); `None` lets the caller decide.
    pub workers: Option<usize>,
    /// HTTP plugins, in file order, all listeners and filter chains flattened.
    pub http_filters: Vec<PluginConfig>,
    /// Network (TCP) plugins, in file order.
    pub network_filters: Vec<PluginConfig>,
    /// Services (`envoy.bootstrap.wasm` bootstrap extensions), in file order.
    pub services: Vec<ServiceConfig>,
    /// Names of `static_resources.clusters` (short form: `clusters`), in file order.
    pub clusters: Vec<String>,
    /// `host:port` of the clusters that name an endpoint (the first `lb_endpoints`
    /// socket address; short form `{name, address}`): HTTP callouts to them that the
    /// scenario does not script go to that real server.
    pub cluster_addresses: std::collections::BTreeMap<String, String>,
}

/// A Wasm service: a plugin that runs outside any stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceConfig {
    /// One instance on the main thread (`true`) or one per worker (`false`).
    pub singleton: bool,
    pub plugin: PluginConfig,
}

/// One plugin (Envoy's `envoy.extensions.wasm.v3.PluginConfig`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginConfig {
    /// As written; may be empty.
    pub name: String,
    /// As written; empty by default.
    pub root_id: String,
    /// The plugin configuration bytes (`proxy_on_configure`).
    #[serde(with = "wire::base64_bytes")]
    pub configuration: Vec<u8>,
    /// `fail_open: true` or `failure_policy: FAIL_OPEN`; `FAIL_RELOAD` counts as closed
    /// while no new VM may be built.
    pub fail_open: bool,
    /// `failure_policy: FAIL_RELOAD`: after a failure a fresh VM serves new streams, at
    /// most once per backoff interval.
    pub reload: Option<ReloadPolicy>,
    pub vm: VmConfig,
    /// The YAML path of this `PluginConfig` node in the file (for example
    /// `static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.value.config`
    /// or, in the short form, `http_filters[0]`), for messages.
    pub path: String,
}

/// When a failed VM may be rebuilt: `base_interval` after the first failure, doubling
/// after each further one up to `max_interval` (Envoy's `reload_config.backoff`; Envoy adds
/// jitter, pwconf does not, so runs repeat exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReloadPolicy {
    pub base_interval: std::time::Duration,
    pub max_interval: std::time::Duration,
}

/// The VM a plugin runs in (Envoy's `envoy.extensions.wasm.v3.VmConfig`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmConfig {
    /// As written; empty by default.
    pub vm_id: String,
    /// As written.
    pub runtime: String,
    /// The pwconf backend the runtime maps to ([`LoadOptions::runtimes`]).
    pub backend: String,
    /// The module's Wasm binary (WAT sources already compiled). Plugins loading the same
    /// bytes share one allocation.
    #[serde(with = "wire::base64_shared")]
    pub code: Arc<Vec<u8>>,
    /// Lower-case hex SHA-256 of `code`.
    pub code_sha256: String,
    /// Where `code` came from: the file path (joined to the configuration's folder),
    /// `inline`, or the remote URI.
    pub code_origin: String,
    /// The VM configuration bytes (`proxy_on_vm_start`).
    #[serde(with = "wire::base64_bytes")]
    pub configuration: Vec<u8>,
    /// `environment_variables`: `key_values` plus each `host_env_keys` entry that is set
    /// in this process's environment (unset ones are left out), sorted by key.
    pub environment: Vec<(String, String)>,
    pub allow_precompiled: bool,
}

impl fmt::Debug for VmConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VmConfig")
            .field("vm_id", &self.vm_id)
            .field("runtime", &self.runtime)
            .field("backend", &self.backend)
            .field("code", &format_args!("<{} bytes>", self.code.len()))
            .field("code_sha256", &self.code_sha256)
            .field("code_origin", &self.code_origin)
            .field("configuration", &String::from_utf8_lossy(&self.configuration))
            .field("environment", &self.environment)
            .field("allow_precompiled", &self.allow_precompiled)
            .finish()
    }
}

/// How to load.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Where remote code is cached, as `<sha256>.wasm`. A cached file whose hash matches
    /// is used without fetching. `None`: no cache, remote code is always fetched.
    pub cache_dir: Option<PathBuf>,
    /// The runtime names `vm_config.runtime` may give, each with the backend it maps to,
    /// in the order an error lists them. They come from the engine registry
    /// (`pwconf_engines::runtime_names`, each engine's registration), not from here.
    pub runtimes: Vec<(String, String)>,
}

impl LoadOptions {
    /// The backend a runtime name maps to.
    pub fn backend_for_runtime(&self, runtime: &str) -> Option<&str> {
        self.runtimes
            .iter()
            .find(|(name, _)| name == runtime)
            .map(|(_, backend)| backend.as_str())
    }
}

/// Reads and loads the configuration file at `path`; relative code file names are
/// relative to its folder.
///
/// # Errors
/// A [`ConfigError`] for a missing or unreadable file and for everything
/// [`parse_config`] refuses.
pub fn load_config(path: &Path, options: &LoadOptions) -> Result<HostConfig, ConfigError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|err| ConfigError::Read {
        file: file.clone(),
        message: error::one_line(&format!("cannot read the file: {err}")),
    })?;
    let text = String::from_utf8(bytes).map_err(|err| ConfigError::Read {
        file: file.clone(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            err.utf8_error().valid_up_to()
        ),
    })?;
    let base_dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    parse_config(&text, &file, base_dir, options)
}

/// Loads a configuration from its text. `source_name` is the file name used in messages;
/// `base_dir` is the folder relative code file names are resolved against.
///
/// An empty document (or `{}`) gives an empty [`HostConfig`].
///
/// # Errors
/// A [`ConfigError`] for YAML syntax, unknown fields or wrong types in the Wasm-related
/// messages, an unknown runtime, code that cannot be loaded, a failed or mismatching
/// remote fetch, a bootstrap with no Wasm plugin, or two HTTP plugins with one name.
pub fn parse_config(
    text: &str,
    source_name: &str,
    base_dir: &Path,
    options: &LoadOptions,
) -> Result<HostConfig, ConfigError> {
    loader::Loader::new(source_name, base_dir, options).load(text)
}
