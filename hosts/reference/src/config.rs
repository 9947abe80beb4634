//! A protocol configuration as the reference host's configuration model.

use std::sync::Arc;

use base64::Engine as _;
use pwconf_config::{HostConfig, PluginConfig, ReloadPolicy, ServiceConfig, VmConfig};
use pwconf_protocol as p;

/// Why a configuration cannot be run: the message names the plugin.
pub struct Refusal {
    pub kind: p::ErrorKind,
    pub message: String,
}

fn plugin(plugin: &p::Plugin, path: String) -> Result<PluginConfig, Refusal> {
    let label = format!("plugin {}", plugin.name);
    let runtimes = pwconf_engines::load_options();
    let backend = runtimes
        .backend_for_runtime(&plugin.vm.runtime)
        .ok_or_else(|| Refusal {
            kind: p::ErrorKind::Unsupported,
            message: format!(
                "{label}: runtime {:?} is not one of this host's",
                plugin.vm.runtime
            ),
        })?;
    let (code, origin) = match &plugin.vm.code {
        p::Code::Path(file) => (
            pwconf_abi::inspect::load_module_file(std::path::Path::new(file)).map_err(|e| Refusal {
                kind: p::ErrorKind::Load,
                message: format!("{label}: {e}"),
            })?,
            file.clone(),
        ),
        p::Code::Base64(text) => (
            base64::engine::general_purpose::STANDARD
                .decode(text.as_bytes())
                .map_err(|e| Refusal {
                    kind: p::ErrorKind::Protocol,
                    message: format!("{label}: vm.code.base64: {e}"),
                })?,
            "inline".to_string(),
        ),
    };
    let (fail_open, reload) = match plugin.failure_policy {
        p::FailurePolicy::FailClosed => (false, None),
        p::FailurePolicy::FailOpen => (true, None),
        p::FailurePolicy::FailReload {
            base_interval_ms,
            max_interval_ms,
        } => (
            false,
            Some(ReloadPolicy {
                base_interval: std::time::Duration::from_millis(base_interval_ms),
                max_interval: std::time::Duration::from_millis(max_interval_ms),
            }),
        ),
    };
    let code_sha256 = pwconf_backend::artifact::sha256_hex(&code);
    Ok(PluginConfig {
        name: plugin.name.clone(),
        root_id: plugin.root_id.clone(),
        configuration: plugin.configuration.0.clone(),
        fail_open,
        reload,
        vm: VmConfig {
            vm_id: plugin.vm.vm_id.clone(),
            runtime: plugin.vm.runtime.clone(),
            backend: backend.to_string(),
            code: Arc::new(code),
            code_sha256,
            code_origin: origin,
            configuration: plugin.vm.configuration.0.clone(),
            environment: plugin.vm.environment.clone().into_iter().collect(),
            allow_precompiled: false,
        },
        path,
    })
}

/// The configuration the reference host runs.
///
/// # Errors
/// A runtime it lacks, unreadable code, or bad base64.
pub fn host_config(config: &p::Configuration, workers: usize) -> Result<HostConfig, Refusal> {
    let list = |plugins: &[p::Plugin], key: &str| -> Result<Vec<PluginConfig>, Refusal> {
        plugins
            .iter()
            .enumerate()
            .map(|(i, p)| plugin(p, format!("{key}[{i}]")))
            .collect()
    };
    Ok(HostConfig {
        workers: Some(workers),
        http_filters: list(&config.http_filters, "http_filters")?,
        network_filters: list(&config.network_filters, "network_filters")?,
        services: config
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| {
                Ok(ServiceConfig {
                    singleton: s.singleton,
                    plugin: plugin(&s.plugin, format!("services[{i}]"))?,
                })
            })
            .collect::<Result<_, Refusal>>()?,
        clusters: config.clusters.iter().map(|c| c.name.clone()).collect(),
        cluster_addresses: config
            .clusters
            .iter()
            .filter_map(|c| c.address.clone().map(|a| (c.name.clone(), a)))
            .collect(),
    })
}
