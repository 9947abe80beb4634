//! Where a scenario's configuration comes from, as `pwconf check` and the suite resolve
//! it: `--config`, the scenario's `config_file`, its inline `config`, or a default built
//! around the module under test.

use std::path::Path;

use crate::model::Scenario;

/// Where a scenario's configuration comes from, as `pwconf check` and the tests resolve it.
#[derive(Debug, Clone, Default)]
pub struct ConfigSource {
    /// `--config`: wins over the scenario's own.
    pub config: Option<std::path::PathBuf>,
    /// MODULE: the code of every plugin (filled into plugins that name none, and replacing
    /// the code of a `--config` / `config_file` configuration).
    pub module: Option<std::path::PathBuf>,
}

/// Why a scenario's configuration could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ConfigSourceError {
    #[error(transparent)]
    Config(#[from] pwconf_config::ConfigError),
    #[error(transparent)]
    Module(#[from] pwconf_abi::inspect::ModuleError),
    #[error("{0}: no configuration: give a MODULE, --config, or `config:` / `config_file:` in the scenario")]
    Missing(String),
    #[error("{0}: the scenario's configuration cannot be serialized: {1}")]
    Serialize(String, String),
}

/// Puts `module` into every plugin of a short-form configuration that names no code.
fn fill_code(config: &mut serde_json::Value, module: &Path) {
    let code = serde_json::json!({"local": {"filename": module.display().to_string()}});
    let mut plugins: Vec<&mut serde_json::Value> = Vec::new();
    if let Some(map) = config.as_object_mut() {
        for (key, value) in map.iter_mut() {
            match key.as_str() {
                "http_filters" | "network_filters" => {
                    plugins.extend(value.as_array_mut().into_iter().flatten())
                }
                "services" => plugins.extend(
                    value
                        .as_array_mut()
                        .into_iter()
                        .flatten()
                        .filter_map(|s| s.get_mut("config")),
                ),
                _ => {}
            }
        }
    }
    for plugin in plugins {
        if let Some(vm) = plugin
            .get_mut("vm_config")
            .and_then(serde_json::Value::as_object_mut)
            && !vm.contains_key("code")
        {
            vm.insert("code".to_string(), code.clone());
        }
    }
}

/// With only a module: one HTTP filter (and a network filter when the scenario opens TCP
/// connections) named after the module, on wasmtime's runtime name.
fn default_config(scenario: &Scenario, module: &Path) -> serde_json::Value {
    let name = module
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let plugin = serde_json::json!({"name": name, "vm_config": {"runtime": "pwconf.wasmtime"}});
    let (http, tcp) = scenario.uses();
    let mut config = serde_json::json!({});
    if http || !tcp {
        config["http_filters"] = serde_json::json!([plugin.clone()]);
    }
    if tcp {
        config["network_filters"] = serde_json::json!([plugin]);
    }
    config
}

impl Scenario {
    /// The configuration to run: `--config`, else `config_file`, else the inline
    /// `config`, else a default built around the module.
    ///
    /// # Errors
    /// A configuration or module that does not load, or nothing to build one from.
    pub fn resolve_config(
        &self,
        scenario_path: &Path,
        source: &ConfigSource,
    ) -> Result<pwconf_config::HostConfig, ConfigSourceError> {
        let options = pwconf_config::LoadOptions::default();
        let base = scenario_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let file = source
            .config
            .clone()
            .or_else(|| self.config_file.as_ref().map(|f| base.join(f)));
        if let Some(path) = file {
            let mut config = pwconf_config::load_config(&path, &options)?;
            if let Some(module) = &source.module {
                let bytes = std::sync::Arc::new(pwconf_abi::inspect::load_module_file(module)?);
                let sha = pwconf_config::sha256_hex(&bytes);
                let plugins = config
                    .http_filters
                    .iter_mut()
                    .chain(config.network_filters.iter_mut())
                    .chain(config.services.iter_mut().map(|s| &mut s.plugin));
                for plugin in plugins {
                    plugin.vm.code = bytes.clone();
                    plugin.vm.code_sha256 = sha.clone();
                    plugin.vm.code_origin = module.display().to_string();
                }
            }
            return Ok(config);
        }
        let shown = scenario_path.display().to_string();
        let mut inline = match (&self.config, &source.module) {
            (Some(config), _) => config.clone(),
            (None, Some(module)) => default_config(self, module),
            (None, None) => return Err(ConfigSourceError::Missing(shown)),
        };
        if let Some(module) = &source.module {
            let module = std::path::absolute(module).unwrap_or_else(|_| module.clone());
            fill_code(&mut inline, &module);
        }
        let text = serde_yaml_ng::to_string(&inline)
            .map_err(|e| ConfigSourceError::Serialize(shown.clone(), e.to_string()))?;
        Ok(pwconf_config::parse_config(
            &text,
            &format!("{shown} (config)"),
            base,
            &options,
        )?)
    }
}
