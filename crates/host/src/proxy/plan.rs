//! From a configuration to plugin plans: each plugin's module checked for its ABI version
//! (rule L1), compiled and linked for that version (rules L2, L3) on the backend it runs
//! on, and its VM key. Linked modules are cached across runs by module hash, engine
//! fingerprint and ABI version, so a suite that runs a module many times compiles it once
//! per engine.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use pwconf_abi::inspect::{self, AbiStatus};
use pwconf_abi::{AbiVersion, Spec};
use pwconf_backend::{Backend, LinkedModule};
use pwconf_config::{HostConfig, PluginConfig};

use super::{ProxyError, ProxyOptions};
use crate::hostcalls::host_funcs;
use crate::state::PluginInfo;

/// The engines a proxy runs plugins on. The host is handed them (it knows no engine by
/// name and creates none), so one engine serves every run of a process.
#[derive(Clone)]
pub enum Backends {
    /// Every plugin on this backend, whatever its runtime names (`pwconf check --backend`,
    /// the suite's trials).
    Only(Arc<dyn Backend>),
    /// Each plugin on the backend its `vm_config.runtime` maps to, among these.
    ByName(Vec<Arc<dyn Backend>>),
}

impl Backends {
    fn for_plugin(&self, plugin: &PluginConfig) -> Result<&Arc<dyn Backend>, ProxyError> {
        match self {
            Backends::Only(backend) => Ok(backend),
            Backends::ByName(list) => list
                .iter()
                .find(|b| b.name() == plugin.vm.backend)
                .ok_or_else(|| {
                    ProxyError::Backend(format!("backend {} is not available", plugin.vm.backend))
                }),
        }
    }
}

impl std::fmt::Debug for Backends {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Backends::Only(b) => write!(f, "Only({})", b.name()),
            Backends::ByName(list) => f.debug_list().entries(list.iter().map(|b| b.name())).finish(),
        }
    }
}

/// What makes a linked module reusable: the same code, compiled by an engine build with
/// the same settings (its fingerprint), linked against the same ABI version's hostcalls.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    code_sha256: String,
    backend: &'static str,
    fingerprint: String,
    abi: AbiVersion,
}

/// Linked modules shared by every proxy of the process.
pub struct ModuleCache {
    linked: Mutex<HashMap<CacheKey, Arc<dyn LinkedModule>>>,
}

/// More distinct modules than this and the cache starts over: it bounds memory when a
/// process runs many modules once each, and costs a recompile at worst.
const CACHE_LIMIT: usize = 512;

impl ModuleCache {
    /// The process-wide cache.
    pub fn global() -> &'static ModuleCache {
        static CACHE: OnceLock<ModuleCache> = OnceLock::new();
        CACHE.get_or_init(|| ModuleCache {
            linked: Mutex::new(HashMap::new()),
        })
    }

    /// How many linked modules are cached.
    pub fn len(&self) -> usize {
        self.linked.lock().map_or(0, |m| m.len())
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get_or_link(
        &self,
        backend: &dyn Backend,
        plugin: &PluginConfig,
        abi: AbiVersion,
    ) -> Result<Arc<dyn LinkedModule>, pwconf_backend::WasmError> {
        let key = CacheKey {
            code_sha256: plugin.vm.code_sha256.clone(),
            backend: backend.name(),
            fingerprint: backend.fingerprint(),
            abi,
        };
        if let Some(found) = self.linked.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(found);
        }
        // Compiled outside the lock: other runs go on meanwhile (two may compile the same
        // module at once; the later insert wins, both are correct).
        let linked = backend.compile(&plugin.vm.code)?.link(host_funcs(abi))?;
        if let Ok(mut map) = self.linked.lock() {
            if map.len() >= CACHE_LIMIT {
                map.clear();
            }
            map.insert(key, linked.clone());
        }
        Ok(linked)
    }
}

/// Where a plugin runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Http,
    Network,
    Service { singleton: bool },
}

/// A plugin ready to start on threads: its module linked for its ABI.
#[derive(Clone)]
pub(super) struct PluginPlan {
    pub(super) role: Role,
    pub(super) info: PluginInfo,
    pub(super) key: String,
    pub(super) vm_id: String,
    pub(super) vm_configuration: Arc<Vec<u8>>,
    pub(super) environment: Vec<(String, String)>,
    pub(super) abi: AbiVersion,
    pub(super) linked: Arc<dyn LinkedModule>,
}

fn plugin_label(plugin: &PluginConfig) -> String {
    if plugin.name.is_empty() {
        plugin.path.clone()
    } else {
        format!("plugin {}", plugin.name)
    }
}

/// The ABI version a plugin's module declares (rule L1).
fn module_abi(plugin: &PluginConfig) -> Result<AbiVersion, String> {
    let report = inspect::inspect(&plugin.vm.code_origin, &plugin.vm.code, Spec::embedded())
        .map_err(|e| e.to_string())?;
    match (report.abi.status, report.abi.version) {
        (AbiStatus::Supported, Some(v)) => Ok(v),
        (AbiStatus::Unsupported, _) => Err(format!(
            "{} exports {}, an ABI version no host accepts",
            plugin.vm.code_origin,
            report.abi.marker.unwrap_or_default()
        )),
        _ => Err(format!(
            "{} exports no proxy_abi_version_* function: missing or unknown Proxy-Wasm ABI version",
            plugin.vm.code_origin
        )),
    }
}

/// Every plugin of the configuration, planned: HTTP filters, network filters, services.
///
/// # Errors
/// A module with no usable ABI marker, one that fails to compile or link (naming the
/// import), or a backend the proxy was not handed.
pub(super) fn plans(config: &HostConfig, options: &ProxyOptions) -> Result<Vec<PluginPlan>, ProxyError> {
    let roles = config
        .http_filters
        .iter()
        .map(|p| (Role::Http, p))
        .chain(config.network_filters.iter().map(|p| (Role::Network, p)))
        .chain(config.services.iter().map(|s| {
            (
                Role::Service {
                    singleton: s.singleton,
                },
                &s.plugin,
            )
        }));
    let mut plans = Vec::new();
    for (role, plugin) in roles {
        let module_error = |message: String| ProxyError::Module {
            plugin: plugin_label(plugin),
            message,
        };
        let abi = module_abi(plugin).map_err(module_error)?;
        let backend = options.backends.for_plugin(plugin)?;
        let linked = ModuleCache::global()
            .get_or_link(backend.as_ref(), plugin, abi)
            .map_err(|e| module_error(format!("{} on {}: {e}", plugin.vm.code_origin, backend.name())))?;
        let vm_configuration = Arc::new(plugin.vm.configuration.clone());
        let key = format!(
            "{}/{}/config:{}/code:{}",
            plugin.vm.vm_id,
            backend.name(),
            &pwconf_config::sha256_hex(&vm_configuration)[..12],
            &plugin.vm.code_sha256[..12.min(plugin.vm.code_sha256.len())]
        );
        plans.push(PluginPlan {
            role,
            info: PluginInfo::of(plugin),
            key,
            vm_id: plugin.vm.vm_id.clone(),
            vm_configuration,
            environment: plugin.vm.environment.clone(),
            abi,
            linked,
        });
    }
    Ok(plans)
}
