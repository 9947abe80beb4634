//! Envoy's threading model with real OS threads: a main thread and N workers. Each thread
//! owns its VM instances; plugins whose VM key (vm_id, backend, VM configuration, code)
//! is equal share one VM per thread, each with its own root context. HTTP and network
//! filters and non-singleton services get a VM copy on every worker; a singleton service
//! runs one VM on the main thread only. A stream only ever touches its worker's VMs.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use pwconf_abi::inspect::{self, AbiStatus};
use pwconf_abi::{AbiVersion, Spec};
use pwconf_backend::artifact::sha256_hex;
use pwconf_backend::{EngineConfig, Limits, LinkedModule};
use pwconf_config::{HostConfig, PluginConfig};
use serde::Serialize;

use crate::hostcalls::host_funcs;
use crate::http::{FilterRef, HttpOutcome, HttpStream, Message};
use crate::shared::Shared;
use crate::state::{ContextKind, PluginInfo, VmState};
use crate::tcp::{Side, TcpConnection, TcpOutcome};
use crate::trace::{LogLine, TraceEvent};
use crate::vm::Vm;

/// Why the proxy could not start.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("{plugin}: {message}")]
    Module { plugin: String, message: String },
    #[error("backend: {0}")]
    Backend(String),
    #[error("thread {0} stopped unexpectedly")]
    ThreadLost(String),
}

/// Settings of a run.
#[derive(Debug, Clone)]
pub struct ProxyOptions {
    pub workers: usize,
    /// Run every plugin on this backend instead of the one its runtime names.
    pub backend: Option<String>,
    pub limits: Limits,
    pub engine: EngineConfig,
    /// A deliberate defect, for the suite's self-tests only (`None` in every real run).
    pub breakage: Option<crate::state::Breakage>,
    /// What upstream clusters answer to HTTP callouts (a scenario's `upstreams`).
    pub upstreams: BTreeMap<String, crate::shared::ScriptedResponse>,
    /// Record every hostcall in the VMs' traces: on for scenarios (their `trace`
    /// expectations read it), off for throughput benchmarks.
    pub trace_hostcalls: bool,
}

/// Where a plugin runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Http,
    Network,
    Service { singleton: bool },
}

/// A plugin ready to start on threads: its module linked for its ABI.
#[derive(Clone)]
struct PluginPlan {
    role: Role,
    info: PluginInfo,
    key: String,
    vm_id: String,
    vm_configuration: Arc<Vec<u8>>,
    environment: Vec<(String, String)>,
    abi: AbiVersion,
    linked: Arc<dyn LinkedModule>,
}

/// One VM as reported.
#[derive(Debug, Clone, Serialize)]
pub struct VmReport {
    pub thread: String,
    pub vm_id: String,
    pub key: String,
    pub abi: AbiVersion,
    pub failed: Option<String>,
    pub plugins: Vec<String>,
}

/// One context as reported.
#[derive(Debug, Clone, Serialize)]
pub struct ContextReport {
    pub thread: String,
    /// Index of the VM in the run's `vms`.
    pub vm: usize,
    pub id: u32,
    pub kind: ContextKind,
    pub root_id: u32,
    pub plugin: String,
}

/// The trace of one VM.
#[derive(Debug, Clone, Serialize)]
pub struct VmTrace {
    pub thread: String,
    pub vm: usize,
    pub events: Vec<TraceEvent>,
}

/// A plugin that could not start on a thread.
#[derive(Debug, Clone, Serialize)]
pub struct StartFailure {
    pub thread: String,
    pub plugin: String,
    pub error: String,
}

/// Everything a run observed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunReport {
    pub vms: Vec<VmReport>,
    pub contexts: Vec<ContextReport>,
    pub trace: Vec<VmTrace>,
    pub logs: Vec<LogLine>,
    pub start_failures: Vec<StartFailure>,
    pub http: BTreeMap<String, HttpOutcome>,
    pub tcp: BTreeMap<String, TcpOutcome>,
    /// Every metric the plugins defined, with its value at the end of the run.
    pub metrics: Vec<crate::shared::MetricValue>,
}

/// What a thread is asked to do.
enum Command {
    Http {
        name: String,
        request: Message,
        response: Message,
        done: Sender<()>,
    },
    HttpLoad {
        request: Message,
        response: Message,
        count: usize,
        done: Sender<()>,
    },
    Tcp {
        name: String,
        events: Vec<TcpEvent>,
        done: Sender<()>,
    },
    Advance {
        millis: u64,
        done: Sender<()>,
    },
    Reconfigure {
        plugin: String,
        configuration: Vec<u8>,
        done: Sender<()>,
    },
    Foreign {
        plugin: String,
        function_id: u32,
        arguments: Vec<u8>,
        done: Sender<()>,
    },
    Finish {
        done: Sender<ThreadReport>,
    },
}

/// One step of a scripted TCP connection.
#[derive(Debug, Clone)]
pub enum TcpEvent {
    Downstream { data: Vec<u8>, end: bool },
    Upstream { data: Vec<u8>, end: bool },
    DownstreamClose,
    UpstreamClose,
}

/// What one VM of a thread observed.
type VmObservations = (VmReport, Vec<ContextReport>, Vec<TraceEvent>, Vec<LogLine>);

struct ThreadReport {
    vms: Vec<VmObservations>,
    start_failures: Vec<StartFailure>,
    http: Vec<(String, HttpOutcome)>,
    tcp: Vec<(String, TcpOutcome)>,
}

/// The running proxy.
pub struct Proxy {
    threads: Vec<(String, Sender<Command>, JoinHandle<()>)>,
    next_worker: usize,
    shared: Arc<Shared>,
}

/// Virtual wall-clock start: 2026-01-01T00:00:00Z, so guests see a plausible date.
const EPOCH_NS: u64 = 1_767_225_600_000_000_000;

impl Proxy {
    /// Compiles and links every distinct module once, then starts the threads; each
    /// creates its VMs and root contexts (start-up failures are reported per plugin and
    /// the plugin's fail policy applies to its streams).
    ///
    /// # Errors
    /// A module with no usable ABI marker (rule L1), one that fails to compile or link
    /// (rules L2, L3, naming the import), or an unknown backend.
    pub fn start(config: &HostConfig, options: &ProxyOptions) -> Result<Proxy, ProxyError> {
        let mut linked: HashMap<(String, String, AbiVersion), Arc<dyn LinkedModule>> = HashMap::new();
        let mut backends: HashMap<String, Box<dyn pwconf_backend::Backend>> = HashMap::new();
        let mut plans = Vec::new();
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
        for (role, plugin) in roles {
            let backend_name = options
                .backend
                .clone()
                .unwrap_or_else(|| plugin.vm.backend.clone());
            let module_error = |message: String| ProxyError::Module {
                plugin: plugin_label(plugin),
                message,
            };
            let report = inspect::inspect(&plugin.vm.code_origin, &plugin.vm.code, Spec::embedded())
                .map_err(|e| module_error(e.to_string()))?;
            let abi = match (report.abi.status, report.abi.version) {
                (AbiStatus::Supported, Some(v)) => v,
                (AbiStatus::Unsupported, _) => {
                    return Err(module_error(format!(
                        "{} exports {}, an ABI version no host accepts",
                        plugin.vm.code_origin,
                        report.abi.marker.unwrap_or_default()
                    )));
                }
                _ => {
                    return Err(module_error(format!(
                        "{} exports no proxy_abi_version_* function: missing or unknown Proxy-Wasm ABI version",
                        plugin.vm.code_origin
                    )));
                }
            };
            let cache_key = (backend_name.clone(), plugin.vm.code_sha256.clone(), abi);
            let module = match linked.get(&cache_key) {
                Some(m) => m.clone(),
                None => {
                    if !backends.contains_key(&backend_name) {
                        let b = pwconf_engines::create(&backend_name, &options.engine)
                            .map_err(|e| ProxyError::Backend(e.to_string()))?;
                        backends.insert(backend_name.clone(), b);
                    }
                    let backend = backends.get(&backend_name).ok_or_else(|| {
                        ProxyError::Backend(format!("backend {backend_name} is not available"))
                    })?;
                    let module = backend
                        .compile(&plugin.vm.code)
                        .and_then(|m| m.link(host_funcs(abi)))
                        .map_err(|e| {
                            module_error(format!("{} on {backend_name}: {e}", plugin.vm.code_origin))
                        })?;
                    linked.insert(cache_key, module.clone());
                    module
                }
            };
            let vm_configuration = Arc::new(plugin.vm.configuration.clone());
            let key = format!(
                "{}/{}/config:{}/code:{}",
                plugin.vm.vm_id,
                backend_name,
                &sha256_hex(&vm_configuration)[..12],
                &plugin.vm.code_sha256[..12.min(plugin.vm.code_sha256.len())]
            );
            plans.push(PluginPlan {
                role,
                info: PluginInfo {
                    name: plugin.name.clone(),
                    root_id: plugin.root_id.clone(),
                    vm_id: plugin.vm.vm_id.clone(),
                    configuration: Arc::new(plugin.configuration.clone()),
                    fail_open: plugin.fail_open,
                },
                key,
                vm_id: plugin.vm.vm_id.clone(),
                vm_configuration,
                environment: plugin.vm.environment.clone(),
                abi,
                linked: module,
            });
        }

        let mut threads = Vec::new();
        let shared = Arc::new(Shared::default());
        for cluster in &config.clusters {
            shared.add_cluster(cluster, None);
        }
        for (cluster, response) in &options.upstreams {
            shared.add_cluster(cluster, Some(response.clone()));
        }
        let main_plans: Vec<PluginPlan> = plans
            .iter()
            .filter(|p| p.role == Role::Service { singleton: true })
            .cloned()
            .collect();
        let worker_plans: Vec<PluginPlan> = plans
            .iter()
            .filter(|p| p.role != Role::Service { singleton: true })
            .cloned()
            .collect();
        let mut names = vec!["main".to_string()];
        names.extend((0..options.workers.max(1)).map(|i| format!("worker-{i}")));
        for name in names {
            let plans = if name == "main" {
                main_plans.clone()
            } else {
                worker_plans.clone()
            };
            let (tx, rx) = channel();
            let limits = options.limits;
            let breakage = options.breakage;
            let trace_hostcalls = options.trace_hostcalls;
            let shared = shared.clone();
            let thread_name = name.clone();
            let handle = std::thread::Builder::new()
                .name(name.clone())
                .spawn(move || {
                    let setup = ThreadSetup {
                        limits,
                        breakage,
                        trace_hostcalls,
                        shared,
                    };
                    run_thread(thread_name, plans, setup, rx)
                })
                .map_err(|e| ProxyError::ThreadLost(format!("{name}: {e}")))?;
            threads.push((name, tx, handle));
        }
        Ok(Proxy {
            threads,
            next_worker: 0,
            shared,
        })
    }

    /// The names of the threads: `main`, `worker-0`, ...
    pub fn thread_names(&self) -> Vec<String> {
        self.threads.iter().map(|(n, _, _)| n.clone()).collect()
    }

    fn worker(&mut self, worker: Option<usize>) -> Result<&Sender<Command>, ProxyError> {
        let workers = self.threads.len() - 1;
        let index = match worker {
            Some(w) => w % workers.max(1),
            None => {
                let w = self.next_worker % workers.max(1);
                self.next_worker += 1;
                w
            }
        };
        self.threads
            .get(1 + index)
            .map(|(_, tx, _)| tx)
            .ok_or_else(|| ProxyError::ThreadLost(format!("worker-{index}")))
    }

    fn send_and_wait(
        &mut self,
        worker: Option<usize>,
        make: impl FnOnce(Sender<()>) -> Command,
    ) -> Result<(), ProxyError> {
        let (done, wait) = channel();
        let tx = self.worker(worker)?;
        tx.send(make(done))
            .map_err(|_| ProxyError::ThreadLost("worker".into()))?;
        wait.recv().map_err(|_| ProxyError::ThreadLost("worker".into()))
    }

    /// Runs an HTTP stream on a worker (round robin unless given) until it finishes or
    /// waits on a paused filter.
    ///
    /// # Errors
    /// The worker thread is gone.
    pub fn http(
        &mut self,
        worker: Option<usize>,
        name: &str,
        request: Message,
        response: Message,
    ) -> Result<(), ProxyError> {
        let name = name.to_string();
        self.send_and_wait(worker, |done| Command::Http {
            name,
            request,
            response,
            done,
        })
    }

    /// Runs `count` copies of one HTTP stream, spread evenly over the workers, and waits
    /// until every one has been handled: how throughput is measured. Each worker gets its
    /// share in one command and makes its copies itself, as Envoy's workers accept and parse
    /// their own connections: nothing per request passes through the main thread, and no
    /// request's memory is allocated on one thread and freed on another.
    ///
    /// # Errors
    /// A worker thread is gone.
    pub fn http_load(
        &mut self,
        request: &Message,
        response: &Message,
        count: usize,
    ) -> Result<(), ProxyError> {
        let workers = (self.threads.len() - 1).max(1);
        let (done, wait) = channel();
        let mut sent = 0;
        for w in 0..workers {
            let share = count / workers + usize::from(w < count % workers);
            if share == 0 {
                continue;
            }
            self.worker(Some(w))?
                .send(Command::HttpLoad {
                    request: request.clone(),
                    response: response.clone(),
                    count: share,
                    done: done.clone(),
                })
                .map_err(|_| ProxyError::ThreadLost(format!("worker-{w}")))?;
            sent += 1;
        }
        drop(done);
        for _ in 0..sent {
            wait.recv().map_err(|_| ProxyError::ThreadLost("worker".into()))?;
        }
        Ok(())
    }

    /// Runs a scripted TCP connection on a worker.
    ///
    /// # Errors
    /// The worker thread is gone.
    pub fn tcp(
        &mut self,
        worker: Option<usize>,
        name: &str,
        events: Vec<TcpEvent>,
    ) -> Result<(), ProxyError> {
        let name = name.to_string();
        self.send_and_wait(worker, |done| Command::Tcp { name, events, done })
    }

    /// Advances every thread's virtual clock, firing the ticks that fall due (rule K1).
    ///
    /// # Errors
    /// A thread is gone.
    pub fn advance(&mut self, millis: u64) -> Result<(), ProxyError> {
        let mut waits = Vec::new();
        for (name, tx, _) in &self.threads {
            let (done, wait) = channel();
            tx.send(Command::Advance { millis, done })
                .map_err(|_| ProxyError::ThreadLost(name.clone()))?;
            waits.push((name.clone(), wait));
        }
        for (name, wait) in waits {
            wait.recv().map_err(|_| ProxyError::ThreadLost(name))?;
        }
        Ok(())
    }

    /// Gives a plugin a new configuration on every thread: a new root context is created
    /// and configured in the same VM and the old one is shut down (rule R10); new streams
    /// use the new root.
    ///
    /// # Errors
    /// A thread is gone.
    pub fn reconfigure(&mut self, plugin: &str, configuration: &[u8]) -> Result<(), ProxyError> {
        let mut waits = Vec::new();
        for (name, tx, _) in &self.threads {
            let (done, wait) = channel();
            tx.send(Command::Reconfigure {
                plugin: plugin.to_string(),
                configuration: configuration.to_vec(),
                done,
            })
            .map_err(|_| ProxyError::ThreadLost(name.clone()))?;
            waits.push((name.clone(), wait));
        }
        for (name, wait) in waits {
            wait.recv().map_err(|_| ProxyError::ThreadLost(name))?;
        }
        Ok(())
    }

    /// The host invokes a plugin's foreign-function callback on every thread:
    /// `proxy_on_foreign_function(root, function_id, size)` with the arguments readable
    /// as `FOREIGN_FUNCTION_ARGUMENTS`.
    ///
    /// # Errors
    /// A thread is gone.
    pub fn foreign(&mut self, plugin: &str, function_id: u32, arguments: &[u8]) -> Result<(), ProxyError> {
        let mut waits = Vec::new();
        for (name, tx, _) in &self.threads {
            let (done, wait) = channel();
            tx.send(Command::Foreign {
                plugin: plugin.to_string(),
                function_id,
                arguments: arguments.to_vec(),
                done,
            })
            .map_err(|_| ProxyError::ThreadLost(name.clone()))?;
            waits.push((name.clone(), wait));
        }
        for (name, wait) in waits {
            wait.recv().map_err(|_| ProxyError::ThreadLost(name))?;
        }
        Ok(())
    }

    /// Ends open streams, shuts the VMs down and collects what every thread observed.
    ///
    /// # Errors
    /// A thread is gone (it panicked: a host defect, reported as such).
    pub fn finish(self) -> Result<RunReport, ProxyError> {
        let mut report = RunReport::default();
        let shared = self.shared.clone();
        for (name, tx, handle) in self.threads {
            let (done, wait) = channel();
            tx.send(Command::Finish { done })
                .map_err(|_| ProxyError::ThreadLost(name.clone()))?;
            let thread = wait.recv().map_err(|_| ProxyError::ThreadLost(name.clone()))?;
            drop(tx);
            handle.join().map_err(|_| ProxyError::ThreadLost(name.clone()))?;
            for (vm, contexts, events, logs) in thread.vms {
                let index = report.vms.len();
                report.contexts.extend(contexts.into_iter().map(|mut c| {
                    c.vm = index;
                    c
                }));
                report.trace.push(VmTrace {
                    thread: name.clone(),
                    vm: index,
                    events,
                });
                report.logs.extend(logs);
                report.vms.push(vm);
            }
            report.start_failures.extend(thread.start_failures);
            report.http.extend(thread.http);
            report.tcp.extend(thread.tcp);
        }
        report.metrics = shared.metrics();
        Ok(report)
    }
}

fn plugin_label(plugin: &PluginConfig) -> String {
    if plugin.name.is_empty() {
        plugin.path.clone()
    } else {
        format!("plugin {}", plugin.name)
    }
}

/// The VMs and filters of one thread.
struct ThreadState {
    name: String,
    vms: Vec<Vm>,
    keys: Vec<String>,
    http_filters: Vec<FilterRef>,
    network_filters: Vec<FilterRef>,
    start_failures: Vec<StartFailure>,
    open_http: Vec<(String, HttpStream)>,
    open_tcp: Vec<(String, TcpConnection)>,
    done_http: Vec<(String, HttpOutcome)>,
    done_tcp: Vec<(String, TcpOutcome)>,
    clock_ms: u64,
    /// Next tick due per (vm, root): (due time, period it was scheduled with).
    ticks: BTreeMap<(usize, u32), (u64, u64)>,
}

/// What every VM a thread starts is given.
struct ThreadSetup {
    limits: Limits,
    breakage: Option<crate::state::Breakage>,
    trace_hostcalls: bool,
    shared: Arc<Shared>,
}

fn run_thread(name: String, plans: Vec<PluginPlan>, setup: ThreadSetup, commands: Receiver<Command>) {
    let mut thread = ThreadState {
        name,
        vms: Vec::new(),
        keys: Vec::new(),
        http_filters: Vec::new(),
        network_filters: Vec::new(),
        start_failures: Vec::new(),
        open_http: Vec::new(),
        open_tcp: Vec::new(),
        done_http: Vec::new(),
        done_tcp: Vec::new(),
        clock_ms: 0,
        ticks: BTreeMap::new(),
    };
    for plan in plans {
        thread.start_plugin(plan, &setup);
    }
    thread.schedule_ticks();
    for command in commands {
        // Callout answers that became due during the previous step arrive before the next
        // one (and before the run ends).
        thread.deliver_callouts();
        match command {
            Command::Http {
                name,
                request,
                response,
                done,
            } => {
                thread.http(name, request, response);
                let _ = done.send(());
            }
            Command::HttpLoad {
                request,
                response,
                count,
                done,
            } => {
                for i in 0..count {
                    let name = format!("{}-load-{i}", thread.name);
                    thread.http(name, request.clone(), response.clone());
                }
                let _ = done.send(());
            }
            Command::Tcp { name, events, done } => {
                thread.tcp(name, events);
                let _ = done.send(());
            }
            Command::Advance { millis, done } => {
                thread.advance(millis);
                let _ = done.send(());
            }
            Command::Reconfigure {
                plugin,
                configuration,
                done,
            } => {
                thread.reconfigure(&plugin, configuration);
                let _ = done.send(());
            }
            Command::Foreign {
                plugin,
                function_id,
                arguments,
                done,
            } => {
                thread.foreign(&plugin, function_id, arguments);
                let _ = done.send(());
            }
            Command::Finish { done } => {
                let _ = done.send(thread.finish());
                return;
            }
        }
    }
}

impl ThreadState {
    fn start_plugin(&mut self, plan: PluginPlan, setup: &ThreadSetup) {
        let vm_index = match self.keys.iter().position(|k| *k == plan.key) {
            Some(i) => Some(i),
            None => {
                let mut state = VmState::new(plan.abi, &plan.vm_id, plan.vm_configuration.clone());
                state.environment = plan.environment.clone();
                state.now_ns = EPOCH_NS;
                state.breakage = setup.breakage;
                state.trace_hostcalls = setup.trace_hostcalls;
                state.shared = setup.shared.clone();
                match Vm::start(&plan.linked, state, &setup.limits) {
                    Ok(vm) => {
                        self.vms.push(vm);
                        self.keys.push(plan.key.clone());
                        Some(self.vms.len() - 1)
                    }
                    Err(e) => {
                        self.start_failures.push(StartFailure {
                            thread: self.name.clone(),
                            plugin: plan.info.name.clone(),
                            error: e.to_string(),
                        });
                        None
                    }
                }
            }
        };
        let mut root = None;
        let mut plugin_index = 0;
        if let Some(i) = vm_index {
            let vm = &mut self.vms[i];
            plugin_index = vm.state().plugins.len();
            match vm.add_plugin(plan.info.clone()) {
                Ok(id) => root = Some(id),
                Err(e) => self.start_failures.push(StartFailure {
                    thread: self.name.clone(),
                    plugin: plan.info.name.clone(),
                    error: e.to_string(),
                }),
            }
        }
        let filter = FilterRef {
            vm: vm_index.unwrap_or(usize::MAX),
            root,
            plugin: plan.info.name.clone(),
            plugin_index,
            fail_open: plan.info.fail_open,
        };
        match plan.role {
            Role::Http => self.http_filters.push(filter),
            Role::Network => self.network_filters.push(filter),
            Role::Service { .. } => {}
        }
    }

    fn reconfigure(&mut self, plugin: &str, configuration: Vec<u8>) {
        self.sync_clocks();
        let filters = self
            .http_filters
            .iter_mut()
            .chain(self.network_filters.iter_mut());
        for filter in filters.filter(|f| f.plugin == plugin) {
            let (Some(old), Some(vm)) = (filter.root, self.vms.get_mut(filter.vm)) else {
                continue;
            };
            let Some(mut info) = vm.state().plugins.get(filter.plugin_index).cloned() else {
                continue;
            };
            info.configuration = Arc::new(configuration.clone());
            filter.plugin_index = vm.state().plugins.len();
            match vm.add_plugin(info) {
                Ok(root) => filter.root = Some(root),
                Err(e) => {
                    filter.root = None;
                    self.start_failures.push(StartFailure {
                        thread: self.name.clone(),
                        plugin: plugin.to_string(),
                        error: e.to_string(),
                    });
                }
            }
            if vm.finish_context(old, &["proxy_on_done"]) {
                vm.finish_context(old, &["proxy_on_delete"]);
            } else {
                vm.state().done_pending.insert(old);
            }
        }
        self.schedule_ticks();
    }

    fn foreign(&mut self, plugin: &str, function_id: u32, arguments: Vec<u8>) {
        self.sync_clocks();
        let buffer = pwconf_abi::types::BufferType::ForeignFunctionArguments.as_u32();
        for vm in &mut self.vms {
            let state = vm.state();
            let roots: Vec<u32> = state
                .contexts
                .values()
                .filter(|c| c.kind == ContextKind::Root)
                .filter(|c| state.plugins.get(c.plugin).is_some_and(|p| p.name == plugin))
                .map(|c| c.id)
                .collect();
            for root in roots {
                vm.state().callout_buffers.insert(buffer, arguments.clone());
                let _ = vm.call(
                    "proxy_on_foreign_function",
                    root,
                    &[root as i32, function_id as i32, arguments.len() as i32],
                );
            }
        }
        self.poll_streams();
        self.schedule_ticks();
    }

    fn sync_clocks(&mut self) {
        let now = EPOCH_NS + self.clock_ms * 1_000_000;
        for vm in &mut self.vms {
            let state = vm.state();
            state.now_ns = now;
            state.monotonic_ns = self.clock_ms * 1_000_000;
        }
    }

    /// Keeps one timer per root with a tick period; a changed period restarts it (K2).
    fn schedule_ticks(&mut self) {
        let mut wanted = BTreeMap::new();
        for (i, vm) in self.vms.iter_mut().enumerate() {
            if vm.failed.is_some() {
                continue;
            }
            for (root, period) in vm.state().tick_periods.clone() {
                wanted.insert((i, root), period);
            }
        }
        self.ticks.retain(|k, (_, p)| wanted.get(k) == Some(p));
        for (k, period) in wanted {
            self.ticks.entry(k).or_insert((self.clock_ms + period, period));
        }
    }

    fn advance(&mut self, millis: u64) {
        let target = self.clock_ms.saturating_add(millis);
        loop {
            self.schedule_ticks();
            // Callout answers due before the next tick come first.
            if let Some(due) = self.next_callout_due().filter(|d| *d <= target) {
                let next_tick = self.ticks.values().map(|(d, _)| *d).min();
                if next_tick.is_none_or(|t| due <= t) {
                    self.clock_ms = self.clock_ms.max(due);
                    self.sync_clocks();
                    self.deliver_callouts();
                    continue;
                }
            }
            let next = self
                .ticks
                .iter()
                .filter(|(_, (due, _))| *due <= target)
                .min_by_key(|(_, (due, _))| *due)
                .map(|(k, (due, period))| (*k, *due, *period));
            let Some(((vm, root), due, period)) = next else {
                break;
            };
            self.clock_ms = due;
            self.sync_clocks();
            // Re-armed after the tick, as Envoy does (rule K1).
            self.ticks.insert((vm, root), (due + period, period));
            if let Some(v) = self.vms.get_mut(vm) {
                let _ = v.call("proxy_on_tick", root, &[root as i32]);
            }
            self.poll_streams();
        }
        self.clock_ms = target;
        self.sync_clocks();
    }

    /// When the earliest pending callout gets its answer (scripted, or Envoy's 504 at its
    /// timeout), on the virtual clock.
    fn next_callout_due(&mut self) -> Option<u64> {
        let mut due = None::<u64>;
        for vm in &mut self.vms {
            if vm.failed.is_some() {
                continue;
            }
            let state = vm.state();
            let shared = state.shared.clone();
            for c in state.callouts.values() {
                let at = match shared.response(&c.cluster) {
                    Some(r) => Some(c.sent_ms + r.delay_ms),
                    None if c.timeout_ms > 0 => Some(c.sent_ms + c.timeout_ms),
                    None => None,
                };
                if let Some(at) = at {
                    due = Some(due.map_or(at, |d| d.min(at)));
                }
            }
        }
        due
    }

    /// Delivers every callout answer that is due: `proxy_on_http_call_response(root, token,
    /// headers, body size, trailers)` with the answer readable through map types 6 / 7 and
    /// buffer type 4 during the call (rules O1, O2, O5); a reset has no headers and
    /// `proxy_get_status` gives 11 / "reset" (O3).
    fn deliver_callouts(&mut self) {
        loop {
            let now = self.clock_ms;
            let mut next = None;
            for (i, vm) in self.vms.iter_mut().enumerate() {
                if vm.failed.is_some() {
                    continue;
                }
                let state = vm.state();
                let shared = state.shared.clone();
                let found = state.callouts.iter().find_map(|(token, c)| {
                    let answer = match shared.response(&c.cluster) {
                        Some(r) if now >= c.sent_ms + r.delay_ms => Some(r),
                        None if c.timeout_ms > 0 && now >= c.sent_ms + c.timeout_ms => {
                            Some(crate::shared::ScriptedResponse {
                                headers: vec![(b":status".to_vec(), b"504".to_vec())],
                                body: b"upstream request timeout".to_vec(),
                                ..Default::default()
                            })
                        }
                        _ => None,
                    };
                    answer.map(|a| (*token, c.root, a))
                });
                if let Some(found) = found {
                    next = Some((i, found));
                    break;
                }
            }
            let Some((i, (token, root, answer))) = next else {
                break;
            };
            let Some(vm) = self.vms.get_mut(i) else { break };
            let state = vm.state();
            state.callouts.remove(&token);
            let (headers, body, trailers) = if answer.reset {
                state.callout_status = Some((11, b"reset".to_vec()));
                (Vec::new(), Vec::new(), Vec::new())
            } else {
                (answer.headers, answer.body, answer.trailers)
            };
            let counts = [
                root as i32,
                token as i32,
                headers.len() as i32,
                body.len() as i32,
                trailers.len() as i32,
            ];
            state.callout_maps.insert(6, headers);
            state.callout_maps.insert(7, trailers);
            state.callout_buffers.insert(4, body);
            let _ = vm.call("proxy_on_http_call_response", root, &counts);
            self.poll_streams();
        }
    }

    /// Lets open streams act on what callbacks outside them asked (resume, close, reply).
    fn poll_streams(&mut self) {
        for (_, stream) in &mut self.open_http {
            stream.poll(&mut self.vms);
        }
        for (_, conn) in &mut self.open_tcp {
            conn.poll(&mut self.vms);
            if conn.outcome.close_pending {
                conn.outcome.close_pending = false;
                conn.close(&mut self.vms, Side::Filter);
            }
        }
        let mut i = 0;
        while i < self.open_tcp.len() {
            if self.open_tcp[i].1.outcome.closed_by.is_some() {
                let (name, mut conn) = self.open_tcp.remove(i);
                conn.finish(&mut self.vms);
                self.done_tcp.push((name, conn.outcome));
            } else {
                i += 1;
            }
        }
        let mut i = 0;
        while i < self.open_http.len() {
            if self.open_http[i].1.is_over() {
                let (name, mut stream) = self.open_http.remove(i);
                stream.close(&mut self.vms);
                self.done_http.push((name, stream.outcome));
            } else {
                i += 1;
            }
        }
    }

    fn http(&mut self, name: String, request: Message, response: Message) {
        self.sync_clocks();
        let mut stream = HttpStream::open(&mut self.vms, &self.http_filters, request, response);
        stream.pump(&mut self.vms);
        self.open_http.push((name, stream));
        self.poll_streams();
        self.schedule_ticks();
    }

    fn tcp(&mut self, name: String, events: Vec<TcpEvent>) {
        self.sync_clocks();
        let mut conn = TcpConnection::open(&mut self.vms, &self.network_filters);
        for event in events {
            if conn.outcome.closed_by.is_some() {
                break;
            }
            match event {
                TcpEvent::Downstream { data, end } => conn.data(&mut self.vms, false, data, end),
                TcpEvent::Upstream { data, end } => {
                    conn.data(&mut self.vms, true, data, end);
                    if end {
                        conn.upstream_ended(&mut self.vms);
                    }
                }
                TcpEvent::DownstreamClose => conn.close(&mut self.vms, Side::Downstream),
                TcpEvent::UpstreamClose => {
                    conn.upstream_ended(&mut self.vms);
                    conn.close(&mut self.vms, Side::Upstream);
                }
            }
        }
        if conn.outcome.close_pending {
            conn.outcome.close_pending = false;
            conn.close(&mut self.vms, Side::Filter);
        }
        if conn.outcome.closed_by.is_some() {
            conn.finish(&mut self.vms);
            self.done_tcp.push((name, conn.outcome));
        } else {
            self.open_tcp.push((name, conn));
        }
        self.schedule_ticks();
    }

    fn finish(mut self) -> ThreadReport {
        // Streams still open at the end: the downstream goes away (a reset).
        for (name, mut stream) in std::mem::take(&mut self.open_http) {
            stream.outcome.reset = true;
            stream.close(&mut self.vms);
            self.done_http.push((name, stream.outcome));
        }
        for (name, mut conn) in std::mem::take(&mut self.open_tcp) {
            conn.close(&mut self.vms, Side::Downstream);
            conn.finish(&mut self.vms);
            self.done_tcp.push((name, conn.outcome));
        }
        // Shut the roots down: on_done, and on_delete when it answers true (rules D1-D3).
        for vm in &mut self.vms {
            let roots: Vec<u32> = vm
                .state()
                .contexts
                .values()
                .filter(|c| c.kind == ContextKind::Root)
                .map(|c| c.id)
                .collect();
            for root in roots {
                if vm.finish_context(root, &["proxy_on_done"]) {
                    vm.finish_context(root, &["proxy_on_delete"]);
                } else {
                    vm.state().done_pending.insert(root);
                }
            }
        }
        let name = self.name.clone();
        let vms = self
            .vms
            .iter_mut()
            .zip(&self.keys)
            .map(|(vm, key)| {
                let failed = vm.failed.clone();
                let abi = vm.abi;
                let state = vm.state();
                let plugins: Vec<String> = state.plugins.iter().map(|p| p.name.clone()).collect();
                let contexts = state
                    .context_log
                    .iter()
                    .map(|c| ContextReport {
                        thread: name.clone(),
                        vm: 0,
                        id: c.id,
                        kind: c.kind,
                        root_id: c.root_id,
                        plugin: plugins.get(c.plugin).cloned().unwrap_or_default(),
                    })
                    .collect();
                let report = VmReport {
                    thread: name.clone(),
                    vm_id: state.vm_id.clone(),
                    key: key.clone(),
                    abi,
                    failed,
                    plugins,
                };
                (
                    report,
                    contexts,
                    std::mem::take(&mut state.trace),
                    std::mem::take(&mut state.logs),
                )
            })
            .collect();
        ThreadReport {
            vms,
            start_failures: self.start_failures,
            http: self.done_http,
            tcp: self.done_tcp,
        }
    }
}
