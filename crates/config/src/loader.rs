//! From text to [`HostConfig`], in three passes so that no code is read or fetched before
//! the whole file is known to be valid:
//! 1. parse the YAML and collect the Wasm messages (strictly typed) with their paths;
//! 2. resolve each plugin (runtime, failure policy, configuration bytes, environment) and
//!    check where its code comes from;
//! 3. load the code: read, decode, compile WAT, or fetch.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_yaml_ng::Value;

use crate::bytes::{configuration_bytes, decode_base64, sha256_hex};
use crate::error::{ConfigError, one_line};
use crate::messages::{
    AsyncDataSourceMsg, BackoffStrategyMsg, ClusterMsg, EnvironmentVariablesMsg, FailurePolicy,
    PluginConfigMsg, SHORT_FORM_KEYS, ShortFormMsg, VmConfigMsg,
};
use crate::path::{child, decode, index, kind, shown};
use crate::remote::{self, Remote, RemoteError};
use crate::{HostConfig, LoadOptions, PluginConfig, ReloadPolicy, ServiceConfig, VmConfig};

/// A `PluginConfig` message found in the file, at `path`.
pub(crate) struct Pending {
    pub msg: PluginConfigMsg,
    pub path: String,
}

/// What pass 1 found.
#[derive(Default)]
pub(crate) struct Collected {
    pub workers: Option<usize>,
    pub http: Vec<Pending>,
    pub network: Vec<Pending>,
    pub services: Vec<(bool, Pending)>,
    pub clusters: Vec<String>,
    pub cluster_addresses: BTreeMap<String, String>,
}

/// Where a plugin's code comes from, checked but not loaded yet.
enum CodeSource {
    File { file: PathBuf, path: String },
    Inline { bytes: Vec<u8>, path: String },
    Remote { remote: Remote, path: String },
}

pub(crate) struct Loader<'a> {
    pub(crate) file: String,
    base_dir: PathBuf,
    options: &'a LoadOptions,
    /// Module bytes by SHA-256, so that plugins with the same code share it and a remote
    /// module is fetched once per load.
    codes: HashMap<String, Arc<Vec<u8>>>,
}

impl<'a> Loader<'a> {
    pub(crate) fn new(file: &str, base_dir: &Path, options: &'a LoadOptions) -> Loader<'a> {
        Loader {
            file: file.to_owned(),
            base_dir: base_dir.to_owned(),
            options,
            codes: HashMap::new(),
        }
    }

    pub(crate) fn invalid(&self, path: &str, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            file: self.file.clone(),
            path: shown(path),
            message: message.into(),
        }
    }

    fn code_error(&self, path: &str, message: impl Into<String>) -> ConfigError {
        ConfigError::Code {
            file: self.file.clone(),
            path: shown(path),
            message: message.into(),
        }
    }

    pub(crate) fn load(mut self, text: &str) -> Result<HostConfig, ConfigError> {
        if let Some(line) = crate::yaml_depth::too_deep_at(text) {
            return Err(ConfigError::Syntax {
                file: self.file.clone(),
                line,
                column: 0,
                message: format!(
                    "collections nested deeper than {} levels",
                    crate::yaml_depth::MAX_YAML_FLOW_DEPTH
                ),
            });
        }
        let mut root: Value = serde_yaml_ng::from_str(text).map_err(|err| {
            let (line, column) = err.location().map_or((0, 0), |at| (at.line(), at.column()));
            ConfigError::Syntax {
                file: self.file.clone(),
                line,
                column,
                // libyaml puts the position in the text too; say it once.
                message: one_line(&err.to_string()).replacen(
                    &format!(" at line {line} column {column}"),
                    "",
                    1,
                ),
            }
        })?;
        root.apply_merge()
            .map_err(|err| self.invalid("", one_line(&err.to_string())))?;

        let map = match &root {
            Value::Null => return Ok(HostConfig::default()),
            Value::Mapping(map) if map.is_empty() => return Ok(HostConfig::default()),
            Value::Mapping(map) => map,
            other => {
                return Err(self.invalid(
                    "",
                    format!(
                        "expected a mapping (an Envoy bootstrap or pwconf's short form), found a {}",
                        kind(other)
                    ),
                ));
            }
        };
        let short_form = map
            .keys()
            .any(|key| key.as_str().is_some_and(|k| SHORT_FORM_KEYS.contains(&k)));
        let collected = if short_form {
            self.collect_short_form(&root)?
        } else {
            let collected = self.collect_bootstrap(map)?;
            if collected.http.is_empty() && collected.network.is_empty() && collected.services.is_empty() {
                return Err(self.invalid(
                    "",
                    format!(
                        "no Wasm plugin found: expected a `{}` filter in an `{}`, \
                         an `{}` listener filter or an `{}` bootstrap extension",
                        crate::bootstrap::HTTP_WASM_FILTER,
                        crate::bootstrap::HCM_FILTER,
                        crate::bootstrap::NETWORK_WASM_FILTER,
                        crate::bootstrap::BOOTSTRAP_WASM,
                    ),
                ));
            }
            collected
        };
        self.build(collected)
    }

    fn collect_short_form(&self, root: &Value) -> Result<Collected, ConfigError> {
        let msg: ShortFormMsg = decode(root, "", &self.file)?;
        if msg.workers == Some(0) {
            return Err(self.invalid("workers", "must be at least 1"));
        }
        let pending = |list: Vec<PluginConfigMsg>, key: &str| -> Vec<Pending> {
            list.into_iter()
                .enumerate()
                .map(|(i, msg)| Pending {
                    msg,
                    path: index(key, i),
                })
                .collect()
        };
        let services = msg
            .services
            .into_iter()
            .enumerate()
            .map(|(i, service)| {
                (
                    service.singleton,
                    Pending {
                        msg: service.config,
                        path: child(&index("services", i), "config"),
                    },
                )
            })
            .collect();
        let mut collected = Collected {
            workers: msg.workers,
            http: pending(msg.http_filters, "http_filters"),
            network: pending(msg.network_filters, "network_filters"),
            services,
            clusters: Vec::new(),
            cluster_addresses: BTreeMap::new(),
        };
        for (i, cluster) in msg.clusters.into_iter().enumerate() {
            let (name, address) = match cluster {
                ClusterMsg::Name(name) => (name, None),
                ClusterMsg::Endpoint { name, address } => (name, Some(address)),
            };
            let at = index("clusters", i);
            self.add_cluster(&mut collected.clusters, name.clone(), &at)?;
            if let Some(address) = address {
                let address = self.socket_address(&address, &child(&at, "address"))?;
                collected.cluster_addresses.insert(name, address);
            }
        }
        Ok(collected)
    }

    /// A `host:port` endpoint address, checked to have a port.
    pub(crate) fn socket_address(&self, address: &str, path: &str) -> Result<String, ConfigError> {
        match address.rsplit_once(':') {
            Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => Ok(address.to_string()),
            _ => Err(self.invalid(path, format!("`{address}` is not host:port"))),
        }
    }

    /// Adds a cluster name; Envoy refuses two clusters with one name.
    pub(crate) fn add_cluster(
        &self,
        clusters: &mut Vec<String>,
        name: String,
        path: &str,
    ) -> Result<(), ConfigError> {
        if name.is_empty() {
            return Err(self.invalid(path, "a cluster name cannot be empty"));
        }
        if clusters.contains(&name) {
            return Err(self.invalid(path, format!("cluster `{name}` is defined twice")));
        }
        clusters.push(name);
        Ok(())
    }

    /// Passes 2 and 3.
    fn build(&mut self, collected: Collected) -> Result<HostConfig, ConfigError> {
        let resolve = |list: Vec<Pending>| -> Result<Vec<_>, ConfigError> {
            list.into_iter()
                .map(|pending| self.resolve_plugin(pending))
                .collect()
        };
        let http = resolve(collected.http)?;
        let network = resolve(collected.network)?;
        let (singletons, services): (Vec<bool>, Vec<Pending>) = collected.services.into_iter().unzip();
        let services = resolve(services)?;
        self.check_unique_names(http.iter().map(|(plugin, _)| plugin))?;

        let mut load = |list: Vec<(PluginConfig, CodeSource)>| {
            list.into_iter()
                .map(|(mut plugin, source)| {
                    self.load_code(&mut plugin.vm, source)?;
                    Ok(plugin)
                })
                .collect::<Result<Vec<_>, ConfigError>>()
        };
        let http_filters = load(http)?;
        let network_filters = load(network)?;
        let services = load(services)?
            .into_iter()
            .zip(singletons)
            .map(|(plugin, singleton)| ServiceConfig { singleton, plugin })
            .collect();
        Ok(HostConfig {
            workers: collected.workers,
            http_filters,
            network_filters,
            services,
            clusters: collected.clusters,
            cluster_addresses: collected.cluster_addresses,
        })
    }

    /// Two HTTP plugins with one (non-empty) name are refused: the name is how messages and
    /// statistics tell plugins apart.
    fn check_unique_names<'p>(
        &self,
        plugins: impl Iterator<Item = &'p PluginConfig>,
    ) -> Result<(), ConfigError> {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for plugin in plugins {
            if plugin.name.is_empty() {
                continue;
            }
            if let Some(first) = seen.insert(&plugin.name, &plugin.path) {
                return Err(self.invalid(
                    &child(&plugin.path, "name"),
                    format!(
                        "duplicate HTTP plugin name `{}` (also used at {first})",
                        plugin.name
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Pass 2 for one plugin: everything but the code bytes.
    fn resolve_plugin(&self, pending: Pending) -> Result<(PluginConfig, CodeSource), ConfigError> {
        let Pending { msg, path } = pending;
        let fail_open = match (msg.fail_open, msg.failure_policy) {
            (Some(_), Some(_)) => {
                return Err(self.invalid(&path, "give either `fail_open` or `failure_policy`, not both"));
            }
            (Some(open), None) => open,
            (None, Some(policy)) => policy == FailurePolicy::FAIL_OPEN,
            (None, None) => false,
        };
        let reload = match msg.failure_policy {
            Some(FailurePolicy::FAIL_RELOAD) => {
                let backoff = msg.reload_config.and_then(|r| r.backoff);
                let at = child(&child(&path, "reload_config"), "backoff");
                let (base_interval, max_interval) = self.backoff(backoff, &at)?;
                Some(ReloadPolicy {
                    base_interval,
                    max_interval,
                })
            }
            _ => None,
        };
        let configuration = configuration_bytes(msg.configuration.as_ref(), &child(&path, "configuration"))
            .map_err(|(at, message)| self.invalid(&at, message))?;
        let (vm, source) = self.resolve_vm(msg.vm_config, &child(&path, "vm_config"))?;
        let plugin = PluginConfig {
            name: msg.name,
            root_id: msg.root_id,
            configuration,
            fail_open,
            reload,
            vm,
            path,
        };
        Ok((plugin, source))
    }

    /// A `BackoffStrategy` (at `at`) as (base, max) intervals; absent: Envoy's defaults
    /// (1 s, and a maximum of ten times the base).
    fn backoff(
        &self,
        msg: Option<BackoffStrategyMsg>,
        at: &str,
    ) -> Result<(Duration, Duration), ConfigError> {
        let Some(backoff) = msg else {
            return Ok((
                remote::DEFAULT_BASE_INTERVAL,
                remote::DEFAULT_BASE_INTERVAL * remote::MAX_INTERVAL_FACTOR,
            ));
        };
        let base = backoff.base_interval.0;
        if base < Duration::from_millis(1) {
            return Err(self.invalid(&child(at, "base_interval"), "must be at least 1ms"));
        }
        let max = backoff
            .max_interval
            .map_or(base.saturating_mul(remote::MAX_INTERVAL_FACTOR), |max| max.0);
        if max < base {
            return Err(self.invalid(&child(at, "max_interval"), "must not be less than base_interval"));
        }
        Ok((base, max))
    }

    fn resolve_vm(&self, msg: VmConfigMsg, path: &str) -> Result<(VmConfig, CodeSource), ConfigError> {
        let backend = self.options.backend_for_runtime(&msg.runtime).ok_or_else(|| {
            let names = self
                .options
                .runtimes
                .iter()
                .map(|(name, _)| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.invalid(
                &child(path, "runtime"),
                format!("unknown runtime `{}`, expected one of {names}", msg.runtime),
            )
        })?;
        let configuration = configuration_bytes(msg.configuration.as_ref(), &child(path, "configuration"))
            .map_err(|(at, message)| self.invalid(&at, message))?;
        let environment = self.environment(
            msg.environment_variables.unwrap_or_default(),
            &child(path, "environment_variables"),
        )?;
        let source = self.code_source(msg.code, &child(path, "code"))?;
        let vm = VmConfig {
            vm_id: msg.vm_id,
            runtime: msg.runtime,
            backend: backend.to_owned(),
            code: Arc::new(Vec::new()),
            code_sha256: String::new(),
            code_origin: String::new(),
            configuration,
            environment,
            allow_precompiled: msg.allow_precompiled,
        };
        Ok((vm, source))
    }

    /// `key_values` plus the `host_env_keys` set in this process, sorted by key. A key
    /// given twice is refused (as Envoy does); so are keys and values that cannot be
    /// passed to a guest as `KEY=VALUE` C strings.
    fn environment(
        &self,
        msg: EnvironmentVariablesMsg,
        path: &str,
    ) -> Result<Vec<(String, String)>, ConfigError> {
        let mut env: BTreeMap<String, String> = BTreeMap::new();
        let key_values_path = child(path, "key_values");
        for (key, value) in msg.key_values {
            let at = child(&key_values_path, &key);
            check_env_key(&key).map_err(|message| self.invalid(&at, message))?;
            if value.contains('\0') {
                return Err(self.invalid(&at, "an environment value cannot contain NUL"));
            }
            env.insert(key, value);
        }
        let mut host_keys: Vec<&str> = Vec::new();
        for (i, key) in msg.host_env_keys.iter().enumerate() {
            let at = index(&child(path, "host_env_keys"), i);
            check_env_key(key).map_err(|message| self.invalid(&at, message))?;
            if env.contains_key(key) || host_keys.contains(&key.as_str()) {
                return Err(self.invalid(&at, format!("environment variable `{key}` is given twice")));
            }
            host_keys.push(key);
        }
        for (i, key) in host_keys.into_iter().enumerate() {
            let Some(value) = std::env::var_os(key) else {
                continue;
            };
            let value = value.into_string().map_err(|_| {
                self.invalid(
                    &index(&child(path, "host_env_keys"), i),
                    format!("host environment variable `{key}` is not UTF-8"),
                )
            })?;
            env.insert(key.to_owned(), value);
        }
        Ok(env.into_iter().collect())
    }

    /// Checks `code` and says where the bytes will come from.
    fn code_source(&self, msg: AsyncDataSourceMsg, path: &str) -> Result<CodeSource, ConfigError> {
        match (msg.local, msg.remote) {
            (Some(_), Some(_)) => Err(self.invalid(path, "give either `local` or `remote`, not both")),
            (None, None) => Err(self.invalid(path, "missing `local` or `remote`")),
            (Some(local), None) => {
                let path = child(path, "local");
                let given = [
                    local.filename.is_some(),
                    local.inline_bytes.is_some(),
                    local.inline_string.is_some(),
                    local.environment_variable.is_some(),
                    local.watched_directory.is_some(),
                ]
                .iter()
                .filter(|set| **set)
                .count();
                if given != 1 {
                    return Err(self.invalid(
                        &path,
                        "give exactly one of `filename`, `inline_bytes`, `inline_string`",
                    ));
                }
                if let Some(name) = local.filename {
                    if name.is_empty() {
                        return Err(self.invalid(&child(&path, "filename"), "empty file name"));
                    }
                    return Ok(CodeSource::File {
                        file: self.base_dir.join(name),
                        path: child(&path, "filename"),
                    });
                }
                if let Some(text) = local.inline_bytes {
                    let at = child(&path, "inline_bytes");
                    let bytes = decode_base64(&text).map_err(|message| self.code_error(&at, message))?;
                    return Ok(CodeSource::Inline { bytes, path: at });
                }
                if let Some(text) = local.inline_string {
                    return Ok(CodeSource::Inline {
                        bytes: text.into_bytes(),
                        path: child(&path, "inline_string"),
                    });
                }
                let field = if local.environment_variable.is_some() {
                    "environment_variable"
                } else {
                    "watched_directory"
                };
                Err(self.invalid(
                    &child(&path, field),
                    format!(
                        "`{field}` is not supported for Wasm code; \
                         use `filename`, `inline_bytes` or `inline_string`"
                    ),
                ))
            }
            (None, Some(msg)) => {
                let path = child(path, "remote");
                let Some(sha256) = msg.sha256 else {
                    return Err(self.invalid(
                        &path,
                        "missing field `sha256` (remote code must name its SHA-256)",
                    ));
                };
                let sha256 = sha256.to_ascii_lowercase();
                if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(self.invalid(
                        &child(&path, "sha256"),
                        format!("`{sha256}` is not a SHA-256 (64 hex digits)"),
                    ));
                }
                let uri_path = child(&child(&path, "http_uri"), "uri");
                let uri = msg.http_uri.uri;
                let scheme_ok = ["http://", "https://"].iter().any(|scheme| {
                    uri.get(..scheme.len())
                        .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
                });
                if !scheme_ok {
                    return Err(self.invalid(&uri_path, format!("`{uri}` is not an http:// or https:// URI")));
                }
                let timeout = msg.http_uri.timeout.0;
                if timeout.is_zero() {
                    return Err(self.invalid(
                        &child(&child(&path, "http_uri"), "timeout"),
                        "the timeout must be greater than zero",
                    ));
                }
                let retry = msg.retry_policy.unwrap_or_default();
                let at = child(&child(&path, "retry_policy"), "retry_back_off");
                let (base_interval, max_interval) = self.backoff(retry.retry_back_off, &at)?;
                Ok(CodeSource::Remote {
                    remote: Remote {
                        uri,
                        timeout,
                        sha256,
                        num_retries: retry.num_retries.unwrap_or(remote::DEFAULT_RETRIES),
                        base_interval,
                        max_interval,
                    },
                    path,
                })
            }
        }
    }

    /// Pass 3 for one VM: its code bytes, hash and origin.
    fn load_code(&mut self, vm: &mut VmConfig, source: CodeSource) -> Result<(), ConfigError> {
        let (bytes, origin) = match source {
            CodeSource::File { file, path } => {
                let origin = file.display().to_string();
                let raw = std::fs::read(&file).map_err(|err| {
                    self.code_error(&path, one_line(&format!("cannot read {origin}: {err}")))
                })?;
                let is_wat = file
                    .extension()
                    .is_some_and(|ext| ext.eq_ignore_ascii_case("wat"));
                let bytes =
                    to_wasm(raw, is_wat, Some(&file)).map_err(|message| self.code_error(&path, message))?;
                (bytes, origin)
            }
            CodeSource::Inline { bytes, path } => {
                let bytes = to_wasm(bytes, false, None).map_err(|message| self.code_error(&path, message))?;
                (bytes, "inline".to_owned())
            }
            CodeSource::Remote { remote, path } => {
                let origin = remote.uri.clone();
                if let Some(code) = self.codes.get(&remote.sha256) {
                    vm.code = Arc::clone(code);
                    vm.code_sha256 = remote.sha256;
                    vm.code_origin = origin;
                    return Ok(());
                }
                let bytes = remote::load(&remote, self.options.cache_dir.as_deref())
                    .map_err(|err| self.remote_error(err, &remote, &path))?;
                if !bytes.starts_with(WASM_MAGIC) {
                    return Err(self.code_error(
                        &path,
                        format!("{origin} is not a Wasm binary module (no \\0asm header)"),
                    ));
                }
                (bytes, origin)
            }
        };
        let sha256 = sha256_hex(&bytes);
        let code = self
            .codes
            .entry(sha256.clone())
            .or_insert_with(|| Arc::new(bytes));
        vm.code = Arc::clone(code);
        vm.code_sha256 = sha256;
        vm.code_origin = origin;
        Ok(())
    }

    fn remote_error(&self, err: RemoteError, remote: &Remote, path: &str) -> ConfigError {
        match err {
            RemoteError::Fetch { attempts, message } => ConfigError::Fetch {
                file: self.file.clone(),
                path: path.to_owned(),
                uri: remote.uri.clone(),
                attempts,
                message: one_line(&message),
            },
            RemoteError::Mismatch { actual } => ConfigError::Sha256Mismatch {
                file: self.file.clone(),
                path: child(path, "sha256"),
                uri: remote.uri.clone(),
                expected: remote.sha256.clone(),
                actual,
            },
            RemoteError::Cache { dir, message } => ConfigError::Cache {
                file: self.file.clone(),
                path: path.to_owned(),
                dir: dir.display().to_string(),
                message: one_line(&message),
            },
        }
    }
}

const WASM_MAGIC: &[u8] = b"\0asm";

/// An environment key must be passable as `KEY=VALUE`.
fn check_env_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("an environment variable name cannot be empty".to_owned());
    }
    if key.contains('=') || key.contains('\0') {
        return Err(format!(
            "environment variable name `{}` cannot contain `=` or NUL",
            key.escape_debug()
        ));
    }
    Ok(())
}

/// Local code as a Wasm binary: a binary is kept as it is, WAT text (or anything in a
/// `.wat` file) is compiled, anything else is refused.
fn to_wasm(bytes: Vec<u8>, is_wat_file: bool, file: Option<&Path>) -> Result<Vec<u8>, String> {
    if bytes.is_empty() {
        return Err("the code is empty".to_owned());
    }
    let detected = wat::Detect::from_bytes(&bytes);
    if detected == wat::Detect::WasmBinary {
        return Ok(bytes);
    }
    if detected == wat::Detect::WasmText || is_wat_file {
        return wat::parse_bytes(&bytes)
            .map(|wasm| wasm.into_owned())
            .map_err(|err| wat_message(&err, file));
    }
    Err("not a Wasm module: neither a Wasm binary (\\0asm header) nor WAT text".to_owned())
}

/// A WAT diagnostic in one line: its message and `line L column C`.
fn wat_message(err: &wat::Error, file: Option<&Path>) -> String {
    let text = err.to_string();
    let mut lines = text.lines();
    let message = lines.next().unwrap_or("").trim();
    let at = lines
        .find_map(|line| line.trim_start().strip_prefix("--> "))
        .and_then(|place| {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next()?;
            let line = parts.next()?;
            Some(format!("line {line} column {column}"))
        });
    let subject = match file {
        Some(file) => format!("invalid WAT in {}", file.display()),
        None => "invalid WAT".to_owned(),
    };
    match at {
        Some(at) => one_line(&format!("{subject}: {message} (at {at})")),
        None => one_line(&format!("{subject}: {message}")),
    }
}
