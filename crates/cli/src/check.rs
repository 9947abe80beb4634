//! `pwconf check`: run a scenario on the reference host, on one backend or all of them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use pwconf_backend::artifact::sha256_hex;
use pwconf_backend::{EngineConfig, Limits};
use pwconf_config::{HostConfig, LoadOptions};
use pwconf_host::proxy::{Proxy, ProxyOptions, RunReport};
use pwconf_host::scenario::{self, Check, Scenario};
use serde::Serialize;
use serde_json::{Value, json};

pub struct Args {
    pub module: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub scenario: PathBuf,
    pub backend: String,
    pub workers: Option<usize>,
    pub json: bool,
}

/// Some expectation was not met (exit code 1; the report says which).
#[derive(Debug, thiserror::Error)]
#[error("{0} expectation(s) not met")]
pub struct NotMet(pub usize);

#[derive(Serialize)]
struct BackendResult {
    backend: &'static str,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    checks: Vec<Check>,
    #[serde(flatten)]
    report: RunReport,
}

/// Puts `module` into every plugin of a short-form configuration that names no code.
fn fill_code(config: &mut Value, module: &Path) {
    let code = json!({"local": {"filename": module.display().to_string()}});
    let mut plugins: Vec<&mut Value> = Vec::new();
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
        if let Some(vm) = plugin.get_mut("vm_config").and_then(Value::as_object_mut)
            && !vm.contains_key("code")
        {
            vm.insert("code".to_string(), code.clone());
        }
    }
}

fn default_config(scenario: &Scenario, module: &Path) -> Value {
    let name = module
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let plugin = json!({"name": name, "vm_config": {"runtime": "pwconf.wasmtime"}});
    let (http, tcp) = scenario.uses();
    let mut config = json!({});
    if http || !tcp {
        config["http_filters"] = json!([plugin.clone()]);
    }
    if tcp {
        config["network_filters"] = json!([plugin]);
    }
    config
}

fn load_config(args: &Args, scenario: &Scenario) -> Result<HostConfig> {
    let options = LoadOptions::default();
    if let Some(path) = &args.config {
        let mut config = pwconf_config::load_config(path, &options)?;
        if let Some(module) = &args.module {
            let bytes = Arc::new(pwconf_abi::inspect::load_module_file(module)?);
            let sha = sha256_hex(&bytes);
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
    let mut inline = match (&scenario.config, &args.module) {
        (Some(config), _) => config.clone(),
        (None, Some(module)) => default_config(scenario, module),
        (None, None) => bail!(
            "{}: no configuration: give a MODULE, --config, or a `config:` in the scenario",
            args.scenario.display()
        ),
    };
    if let Some(module) = &args.module {
        let module = std::path::absolute(module).unwrap_or_else(|_| module.clone());
        fill_code(&mut inline, &module);
    }
    let text = serde_yaml_ng::to_string(&inline).context("serializing the scenario's configuration")?;
    let base = args
        .scenario
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(pwconf_config::parse_config(
        &text,
        &format!("{} (config)", args.scenario.display()),
        base,
        &options,
    )?)
}

pub fn run(args: &Args) -> Result<()> {
    let scenario = scenario::load(&args.scenario)?;
    let registrations = pwconf_engines::select(&args.backend)?;
    let config = load_config(args, &scenario)?;
    let workers = args
        .workers
        .or(scenario.workers)
        .or(config.workers)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let mut results = Vec::new();
    for reg in registrations {
        let options = ProxyOptions {
            workers,
            backend: Some(reg.name.to_string()),
            limits: Limits::default(),
            engine: EngineConfig::default(),
        };
        let outcome = Proxy::start(&config, &options).and_then(|proxy| scenario.play(proxy));
        let result = match outcome {
            Ok(report) => {
                let checks = scenario.check(&report);
                BackendResult {
                    backend: reg.name,
                    ok: checks.iter().all(|c| c.met),
                    error: None,
                    checks,
                    report,
                }
            }
            Err(e) => BackendResult {
                backend: reg.name,
                ok: false,
                error: Some(e.to_string()),
                checks: Vec::new(),
                report: RunReport::default(),
            },
        };
        results.push(result);
    }
    let failed: usize = results
        .iter()
        .map(|r| r.checks.iter().filter(|c| !c.met).count() + usize::from(r.error.is_some()))
        .sum();
    if args.json {
        crate::print_json(&json!({
            "scenario": args.scenario.display().to_string(),
            "ok": failed == 0,
            "backends": results,
        }))?;
    } else {
        let mut o = String::new();
        let _ = writeln!(o, "scenario: {}", args.scenario.display());
        if !scenario.description.is_empty() {
            let _ = writeln!(o, "  {}", scenario.description);
        }
        for r in &results {
            let met = r.checks.iter().filter(|c| c.met).count();
            let _ = writeln!(o, "== {}: {met}/{} met", r.backend, r.checks.len());
            if let Some(e) = &r.error {
                let _ = writeln!(o, "  ERROR {e}");
            }
            for f in &r.report.start_failures {
                let _ = writeln!(o, "  start failure on {}: {}: {}", f.thread, f.plugin, f.error);
            }
            for c in &r.checks {
                if c.met {
                    let _ = writeln!(o, "  ok    {}: {}", c.what, c.observed);
                } else {
                    let _ = writeln!(
                        o,
                        "  FAIL  {}: expected {}, observed {}",
                        c.what, c.expected, c.observed
                    );
                }
            }
        }
        crate::emit(&o)?;
    }
    if failed > 0 {
        return Err(NotMet(failed).into());
    }
    Ok(())
}
