//! What `pwconf bench` measures on one engine: compile, artifact load, VM start (cold and
//! a warm copy), per-request latency over the scenario's HTTP streams, requests/s through
//! the whole proxy with 1..N workers, and memory per VM copy.
//!
//! The per-request loop drives the filter chain directly on one VM copy (as a worker
//! does, without the main thread's dispatch), so a sample is one stream's host and guest
//! work; requests/s go through the proxy's threads. Nobody reads the trace here, so none
//! is recorded.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use pwconf_abi::AbiVersion;
use pwconf_backend::{Backend, CompiledModule, Limits, LinkedModule, Registration};
use pwconf_config::HostConfig;
use pwconf_host::hostcalls::host_funcs;
use pwconf_host::http::{FilterRef, HttpStream, Message};
use pwconf_host::proxy::{Backends, Proxy, ProxyOptions};
use pwconf_host::state::{PluginInfo, VmState};
use pwconf_host::vm::Vm;

use super::stats::{Better, Metric, summarize};

/// How long each measurement runs, and the most workers to scale to.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Time given to each sampled measurement.
    pub per_measurement: Duration,
    pub max_workers: usize,
}

/// The HTTP streams one request sample cycles through.
pub type Streams = Vec<(Message, Message)>;

/// A VM of the chain: its id and the plugins it runs, in chain order.
struct VmPlan {
    vm_id: String,
    vm_configuration: Arc<Vec<u8>>,
    environment: Vec<(String, String)>,
    /// (index in the chain, the plugin)
    plugins: Vec<(usize, PluginInfo)>,
}

/// The HTTP filter chain of the configuration, grouped into VMs by `vm_id` as Envoy
/// shares them; every plugin must run the same code (MODULE replaces it in all).
pub struct Chain {
    vms: Vec<VmPlan>,
    pub code: Arc<Vec<u8>>,
    pub abi: AbiVersion,
    /// One line per plugin: what the report says it measured.
    pub plugins: Vec<String>,
}

impl Chain {
    /// # Errors
    /// No HTTP filter, plugins with different code, a module with no usable ABI marker.
    pub fn of(config: &HostConfig) -> Result<Chain> {
        let Some(first) = config.http_filters.first() else {
            bail!("pwconf bench measures HTTP filters, and the configuration has none");
        };
        let code = first.vm.code.clone();
        let report =
            pwconf_abi::inspect::inspect(&first.vm.code_origin, &code, pwconf_abi::Spec::embedded())?;
        let abi = report.abi.version.ok_or_else(|| {
            anyhow!(
                "{}: no supported proxy_abi_version_* export",
                first.vm.code_origin
            )
        })?;
        let mut vms: Vec<VmPlan> = Vec::new();
        let mut plugins = Vec::new();
        for (index, plugin) in config.http_filters.iter().enumerate() {
            if plugin.vm.code_sha256 != first.vm.code_sha256 {
                bail!(
                    "{}: its code differs from {}'s; pwconf bench measures one module (give it as MODULE)",
                    plugin.path,
                    first.path
                );
            }
            let info = PluginInfo::of(plugin);
            plugins.push(format!("{} (vm_id {:?})", plugin.name, plugin.vm.vm_id));
            match vms.iter_mut().find(|v| v.vm_id == plugin.vm.vm_id) {
                Some(vm) => vm.plugins.push((index, info)),
                None => vms.push(VmPlan {
                    vm_id: plugin.vm.vm_id.clone(),
                    vm_configuration: Arc::new(plugin.vm.configuration.clone()),
                    environment: plugin.vm.environment.clone(),
                    plugins: vec![(index, info)],
                }),
            }
        }
        Ok(Chain {
            vms,
            code,
            abi,
            plugins,
        })
    }

    /// Starts the chain's VMs on `linked` (a worker's copies): start-up, every plugin's
    /// root. No trace: nothing reads it.
    fn start(&self, linked: &Arc<dyn LinkedModule>) -> Result<(Vec<Vm>, Vec<FilterRef>)> {
        let mut vms = Vec::new();
        let mut filters: Vec<(usize, FilterRef)> = Vec::new();
        for (vm_index, plan) in self.vms.iter().enumerate() {
            let mut state = VmState::new(self.abi, &plan.vm_id, plan.vm_configuration.clone());
            state.environment = plan.environment.clone();
            state.record_trace = false;
            let mut vm = Vm::start(linked, state, &Limits::default())
                .map_err(|e| anyhow!("VM {:?} start: {e}", plan.vm_id))?;
            for (plugin_index, (chain_index, info)) in plan.plugins.iter().enumerate() {
                let name = info.name.clone();
                let root = vm
                    .add_plugin(info.clone())
                    .map_err(|e| anyhow!("plugin {name:?} start: {e}"))?;
                filters.push((
                    *chain_index,
                    FilterRef {
                        vm: vm_index,
                        root: Some(root),
                        plugin: name,
                        plugin_index,
                        fail_open: info.fail_open,
                        reload: info.reload,
                    },
                ));
            }
            vms.push(vm);
        }
        filters.sort_by_key(|(i, _)| *i);
        Ok((vms, filters.into_iter().map(|(_, f)| f).collect()))
    }
}

/// One engine's results: its metrics, or why it could not be measured.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EngineResult {
    pub engine: String,
    pub kind: String,
    pub engine_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub metrics: Vec<Metric>,
    /// What was not measured, and why.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl EngineResult {
    pub fn metric(&self, name: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.name == name)
    }
}

/// Samples `f` (which returns the time of the part it measures) until the budget is spent,
/// at least `min` and at most `max` times.
fn sample(
    budget: Duration,
    min: usize,
    max: usize,
    mut f: impl FnMut() -> Result<Duration>,
) -> Result<Vec<f64>> {
    let started = Instant::now();
    let mut samples = Vec::new();
    while samples.len() < min || (samples.len() < max && started.elapsed() < budget) {
        samples.push(f()?.as_nanos() as f64);
    }
    Ok(samples)
}

fn timed<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, Duration)> {
    let started = Instant::now();
    let value = f()?;
    Ok((value, started.elapsed()))
}

fn ns(name: &str, samples: Vec<f64>) -> Metric {
    summarize(name, "ns", Better::Lower, samples)
}

/// Measures one engine; an error ends only this engine's measurements.
pub fn engine(
    reg: &Registration,
    chain: &Chain,
    config: &HostConfig,
    streams: &Streams,
    budget: Budget,
) -> EngineResult {
    let mut result = EngineResult {
        engine: reg.name.to_string(),
        kind: reg.kind.name().to_string(),
        engine_version: reg.engine_version.to_string(),
        error: None,
        metrics: Vec::new(),
        notes: Vec::new(),
    };
    if let Err(e) = measure(reg, chain, config, streams, budget, &mut result) {
        result.error = Some(format!("{e:#}"));
    }
    result
}

fn measure(
    reg: &Registration,
    chain: &Chain,
    config: &HostConfig,
    streams: &Streams,
    budget: Budget,
    result: &mut EngineResult,
) -> Result<()> {
    let per = budget.per_measurement;
    // A backend of its own, with no artifact cache, so compiling is really compiling.
    let backend: Arc<dyn Backend> = Arc::from(
        pwconf_engines::create(reg.name, &pwconf_backend::EngineConfig::default())
            .with_context(|| format!("creating {}", reg.name))?,
    );
    let wasm = chain.code.as_slice();
    let compile = || -> Result<Arc<dyn CompiledModule>> { backend.compile(wasm).context("compile") };
    let mut module = None;
    let samples = sample(per, 3, 50, || {
        let (m, t) = timed(compile)?;
        module = Some(m);
        Ok(t)
    })?;
    result.metrics.push(ns("compile", samples));
    let module = module.ok_or_else(|| anyhow!("compile: no sample"))?;

    match module.serialize() {
        Ok(artifact) => {
            let samples = sample(per, 3, 200, || {
                timed(|| backend.load_artifact(&artifact).context("artifact load")).map(|(_, t)| t)
            })?;
            result.metrics.push(ns("artifact_load", samples));
        }
        Err(e) => result.notes.push(format!("artifact_load: not measured: {e}")),
    }

    let funcs = host_funcs(chain.abi);
    // Cold: a module just compiled, linked and started for the first time (the compile
    // itself is not timed).
    let samples = sample(per, 3, 50, || {
        let fresh = compile()?;
        timed(|| {
            let linked = fresh.link(funcs).context("link")?;
            chain.start(&linked)
        })
        .map(|(_, t)| t)
    })?;
    result.metrics.push(ns("vm_start_cold", samples));

    let linked = module.link(funcs).context("link")?;
    // Warm: a new worker's copy from the shared linked module.
    let samples = sample(per, 5, 100_000, || timed(|| chain.start(&linked)).map(|(_, t)| t))?;
    result.metrics.push(ns("vm_copy_warm", samples));

    result
        .metrics
        .push(request_latency(chain, &linked, streams, per)?);

    for workers in 1..=budget.max_workers.max(1) {
        match throughput(&backend, config, &streams[0], workers, per) {
            Ok(m) => result.metrics.push(m),
            Err(e) => {
                result
                    .notes
                    .push(format!("requests/s with {workers} worker(s): {e:#}"));
                break;
            }
        }
    }

    match memory_per_copy(chain, &linked, &streams[0]) {
        Ok(m) => result.metrics.push(m),
        Err(e) => result
            .notes
            .push(format!("memory_per_vm_copy: not measured: {e:#}")),
    }
    Ok(())
}

/// One stream through the chain, start to end, timed; the VMs' records are cleared after.
fn request_latency(
    chain: &Chain,
    linked: &Arc<dyn LinkedModule>,
    streams: &Streams,
    per: Duration,
) -> Result<Metric> {
    let (mut vms, filters) = chain.start(linked)?;
    let mut next = 0;
    let mut run = |vms: &mut Vec<Vm>| -> Result<Duration> {
        let (request, response) = streams[next % streams.len()].clone();
        let name = next % streams.len();
        next += 1;
        let started = Instant::now();
        let mut stream = HttpStream::open(vms, &filters, request, response);
        stream.pump(vms);
        let over = stream.is_over();
        stream.close(vms);
        let elapsed = started.elapsed();
        for vm in vms.iter_mut() {
            let state = vm.state();
            state.trace.clear();
            state.logs.clear();
            state.context_log.clear();
            if let Some(failed) = &vm.failed {
                bail!("the VM failed on stream {}: {failed}", name + 1);
            }
        }
        if !over {
            bail!(
                "stream {} did not finish on one VM copy (it waits on a callout or a timer, which pwconf bench does not drive)",
                name + 1
            );
        }
        Ok(elapsed)
    };
    // Warm-up: every stream once, and caches and branch predictors settled.
    let warm_until = Instant::now() + per / 5;
    let mut warmed = 0;
    while Instant::now() < warm_until || warmed < streams.len() {
        run(&mut vms)?;
        warmed += 1;
    }
    let samples = sample(per, 20, 5_000_000, || run(&mut vms))?;
    Ok(ns("request", samples))
}

/// Requests/s through the whole proxy with `workers` worker threads: rounds of
/// `proxy.http_load`, each long enough to time, every worker's VM copy made first.
fn throughput(
    backend: &Arc<dyn Backend>,
    config: &HostConfig,
    stream: &(Message, Message),
    workers: usize,
    per: Duration,
) -> Result<Metric> {
    let mut options = ProxyOptions::new(Backends::Only(backend.clone()));
    options.workers = workers;
    options.record_trace = false;
    let mut proxy = Proxy::start(config, &options).context("proxy start")?;
    let (request, response) = stream;
    proxy
        .http_load(request, response, 8 * workers)
        .context("warm-up streams")?;
    // Calibrate a round to about a tenth of the budget.
    let (_, t) = timed(|| {
        proxy
            .http_load(request, response, 64 * workers)
            .context("streams")
    })?;
    let per_stream = t.as_secs_f64() / (64 * workers) as f64;
    let count = ((per.as_secs_f64() / 10.0 / per_stream.max(1e-9)) as usize).clamp(workers, 10_000_000);
    let mut rates = Vec::new();
    let started = Instant::now();
    while rates.len() < 3 || (rates.len() < 50 && started.elapsed() < per) {
        let (_, t) = timed(|| proxy.http_load(request, response, count).context("streams"))?;
        rates.push(count as f64 / t.as_secs_f64());
    }
    let report = proxy.finish().context("proxy finish")?;
    if let Some((name, _)) = report.http.iter().find(|(_, o)| !o.finished) {
        bail!("stream {name} did not finish through the proxy");
    }
    let name = format!(
        "requests_per_second_{workers}_worker{}",
        if workers == 1 { "" } else { "s" }
    );
    Ok(summarize(&name, "requests/s", Better::Higher, rates))
}

/// Resident set size of this process, in bytes (Linux).
fn rss_bytes() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0)
}

/// The growth of the resident set per VM copy kept alive, over rounds of 16 copies, each
/// having served one stream (what a worker's copy in use costs, its guest memory touched
/// as its guest touches it).
fn memory_per_copy(
    chain: &Chain,
    linked: &Arc<dyn LinkedModule>,
    stream: &(Message, Message),
) -> Result<Metric> {
    const COPIES: usize = 16;
    let mut samples = Vec::new();
    for _ in 0..5 {
        let before = rss_bytes().ok_or_else(|| anyhow!("no /proc/self/statm"))?;
        let mut kept = Vec::with_capacity(COPIES);
        for _ in 0..COPIES {
            let (mut vms, filters) = chain.start(linked)?;
            let mut http = HttpStream::open(&mut vms, &filters, stream.0.clone(), stream.1.clone());
            http.pump(&mut vms);
            http.close(&mut vms);
            kept.push(vms);
        }
        let after = rss_bytes().ok_or_else(|| anyhow!("no /proc/self/statm"))?;
        samples.push(((after - before) / COPIES as f64).max(0.0));
        drop(kept);
    }
    Ok(summarize("memory_per_vm_copy", "bytes", Better::Lower, samples))
}

/// The scenario's HTTP streams as the host's messages (the upstream answers `:status 200`
/// when the step gives no response).
pub fn streams(scenario: &pwconf_scenario::Scenario) -> Streams {
    use pwconf_scenario::model::{MessageSpec, Step};
    fn pairs(headers: &[(String, String)]) -> Vec<(Vec<u8>, Vec<u8>)> {
        headers
            .iter()
            .map(|(k, v)| (k.clone().into_bytes(), v.clone().into_bytes()))
            .collect()
    }
    fn message(spec: &MessageSpec) -> Message {
        Message {
            headers: pairs(&spec.headers.0),
            chunks: spec.body.0.iter().map(|c| c.clone().into_bytes()).collect(),
            body: Vec::new(),
            trailers: spec.trailers.as_ref().map(|t| pairs(&t.0)),
            metadata: pairs(&spec.metadata.0),
            complete: false,
        }
    }
    let ok = Message {
        headers: vec![(b":status".to_vec(), b"200".to_vec())],
        ..Message::default()
    };
    scenario
        .steps
        .iter()
        .filter_map(|step| match step {
            Step::Http(h) => Some((
                message(&h.request),
                h.response.as_ref().map_or_else(|| ok.clone(), message),
            )),
            _ => None,
        })
        .collect()
}

/// The names of the metrics in the order reports show them.
pub fn metric_order(results: &[EngineResult]) -> Vec<String> {
    let mut order: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let rank = |name: &str| match name {
        "compile" => 0,
        "artifact_load" => 1,
        "vm_start_cold" => 2,
        "vm_copy_warm" => 3,
        "request" => 4,
        n if n.starts_with("requests_per_second_") => 5,
        "memory_per_vm_copy" => 7,
        _ => 6,
    };
    for r in results {
        for m in &r.metrics {
            let list = order.entry(rank(&m.name)).or_default();
            if !list.contains(&m.name) {
                list.push(m.name.clone());
            }
        }
    }
    order
        .into_values()
        .flat_map(|mut v| {
            v.sort_by_key(|n| {
                n.trim_start_matches("requests_per_second_")
                    .split('_')
                    .next()
                    .and_then(|w| w.parse::<usize>().ok())
                    .unwrap_or(0)
            });
            v
        })
        .collect()
}
