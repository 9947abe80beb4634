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
use pwconf_abi::types::{BufferType, LogLevel, MapType};
use pwconf_abi::{AbiVersion, Spec};
use pwconf_backend::artifact::sha256_hex;
use pwconf_backend::{EngineConfig, Limits, LinkedModule};
use pwconf_config::{HostConfig, PluginConfig};
use serde::Serialize;

use crate::hostcalls::host_funcs;
use crate::http::{FilterRef, HttpOutcome, HttpStream, Message};
use crate::shared::Shared;
use crate::state::{ContextKind, GrpcKind, PendingGrpc, PluginInfo, VmState};
use crate::tcp::{Side, TcpConnection, TcpOutcome};
use crate::trace::{LogLine, TraceEvent};
use crate::vm::Vm;

/// Why the proxy could not start, or a step could not be played.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("no plugin named {0:?} in the configuration")]
    UnknownPlugin(String),
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
    /// Run on the real clock: guests read the system time, `advance` waits for real and
    /// ticks fire as the time passes. Otherwise a virtual clock that starts at
    /// 2026-01-01T00:00:00Z and moves only with `advance`, so runs repeat exactly.
    pub real_time: bool,
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
        /// Request and upstream response, boxed: the other commands are small.
        exchange: Box<(Message, Message)>,
        done: Sender<()>,
    },
    HttpLoad {
        /// The stream every copy repeats (request, upstream response).
        exchange: Box<(Message, Message)>,
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
    /// Deliver the shared-queue notifications waiting for this thread.
    Settle {
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
    /// The configured plugins' names, so steps naming another one are refused.
    plugins: Vec<String>,
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
                    reload: plugin.reload,
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
        for (cluster, address) in &config.cluster_addresses {
            shared.set_cluster_address(cluster, address);
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
        // The main thread's singleton services start before any worker does, as in Envoy,
        // so a worker can rely on what they set up (a queue, shared data); the workers
        // then start together, and streams begin once all of them are up.
        let mut starting = Vec::new();
        for (index, name) in names.into_iter().enumerate() {
            let plans = if name == "main" {
                main_plans.clone()
            } else {
                worker_plans.clone()
            };
            let (tx, rx) = channel();
            let limits = options.limits;
            let breakage = options.breakage;
            let real_time = options.real_time;
            let trace_hostcalls = options.trace_hostcalls;
            let shared = shared.clone();
            let thread_name = name.clone();
            // A thread that dies while starting drops its sender, so waiting cannot hang.
            let (started_tx, started) = channel::<()>();
            let handle = std::thread::Builder::new()
                .name(name.clone())
                .spawn(move || {
                    run_thread(
                        index,
                        thread_name,
                        plans,
                        (limits, breakage, real_time, trace_hostcalls),
                        shared,
                        started_tx,
                        rx,
                    )
                })
                .map_err(|e| ProxyError::ThreadLost(format!("{name}: {e}")))?;
            if index == 0 {
                started.recv().map_err(|_| ProxyError::ThreadLost(name.clone()))?;
            } else {
                starting.push((name.clone(), started));
            }
            threads.push((name, tx, handle));
        }
        for (name, started) in starting {
            started.recv().map_err(|_| ProxyError::ThreadLost(name))?;
        }
        Ok(Proxy {
            threads,
            next_worker: 0,
            shared,
            plugins: plans.iter().map(|p| p.info.name.clone()).collect(),
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
        wait.recv().map_err(|_| ProxyError::ThreadLost("worker".into()))?;
        self.settle()
    }

    /// Sends a command to every thread at once (they run in parallel, as Envoy's do),
    /// waits for all, then lets queue notifications settle.
    fn broadcast(&mut self, make: impl Fn(Sender<()>) -> Command) -> Result<(), ProxyError> {
        let mut waits = Vec::new();
        for (name, tx, _) in &self.threads {
            let (done, wait) = channel();
            tx.send(make(done))
                .map_err(|_| ProxyError::ThreadLost(name.clone()))?;
            waits.push((name.clone(), wait));
        }
        for (name, wait) in waits {
            wait.recv().map_err(|_| ProxyError::ThreadLost(name))?;
        }
        self.settle()
    }

    /// Delivers shared-queue notifications on the threads they are for, until none is
    /// left: a worker's enqueue wakes the main thread's singleton after the step, never
    /// inside the enqueue (rule Q4). Bounded, so guests that keep re-enqueueing from
    /// `proxy_on_queue_ready` cannot hang the run; what is left is delivered later.
    fn settle(&mut self) -> Result<(), ProxyError> {
        const MAX_ROUNDS: usize = 64;
        for _ in 0..MAX_ROUNDS {
            // Callouts to real servers finish first, so their answers arrive after the
            // step that sent them, every run alike.
            self.shared.wait_real_callouts();
            let threads = self.shared.threads_with_deliveries();
            if threads.is_empty() {
                break;
            }
            for index in threads {
                let Some((name, tx, _)) = self.threads.get(index) else {
                    continue;
                };
                let (done, wait) = channel();
                tx.send(Command::Settle { done })
                    .map_err(|_| ProxyError::ThreadLost(name.clone()))?;
                wait.recv().map_err(|_| ProxyError::ThreadLost(name.clone()))?;
            }
        }
        Ok(())
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
            exchange: Box::new((request, response)),
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
                    exchange: Box::new((request.clone(), response.clone())),
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
        self.broadcast(|done| Command::Advance { millis, done })
    }

    /// Gives a plugin a new configuration on every thread: a new root context is created
    /// and configured in the same VM and the old one is shut down (rule R10); new streams
    /// use the new root.
    ///
    /// # Errors
    /// No plugin has that name, or a thread is gone.
    pub fn reconfigure(&mut self, plugin: &str, configuration: &[u8]) -> Result<(), ProxyError> {
        self.known_plugin(plugin)?;
        self.broadcast(|done| Command::Reconfigure {
            plugin: plugin.to_string(),
            configuration: configuration.to_vec(),
            done,
        })
    }

    /// The host invokes a plugin's foreign-function callback on every thread:
    /// `proxy_on_foreign_function(root, function_id, size)` with the arguments readable
    /// as `FOREIGN_FUNCTION_ARGUMENTS`.
    ///
    /// # Errors
    /// No plugin has that name, or a thread is gone.
    pub fn foreign(&mut self, plugin: &str, function_id: u32, arguments: &[u8]) -> Result<(), ProxyError> {
        self.known_plugin(plugin)?;
        self.broadcast(|done| Command::Foreign {
            plugin: plugin.to_string(),
            function_id,
            arguments: arguments.to_vec(),
            done,
        })
    }

    fn known_plugin(&self, plugin: &str) -> Result<(), ProxyError> {
        if self.plugins.iter().any(|p| p == plugin) {
            Ok(())
        } else {
            Err(ProxyError::UnknownPlugin(plugin.to_string()))
        }
    }

    /// Ends open streams, shuts the VMs down and collects what every thread observed.
    ///
    /// # Errors
    /// A thread is gone (it panicked: a host defect, reported as such).
    pub fn finish(mut self) -> Result<RunReport, ProxyError> {
        self.settle()?;
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
    /// Index among the proxy's threads (0: main).
    index: usize,
    /// On the real clock: when the thread started, and the system time then (ns since
    /// the epoch).
    real_clock: Option<(std::time::Instant, u64)>,
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
    /// Per VM (same index as `vms`): the plan it was built from and how many reloads
    /// came before it, for rebuilding it after a failure (rule F4).
    lineage: Vec<(PluginPlan, u32)>,
    limits: Limits,
    breakage: Option<crate::state::Breakage>,
    trace_hostcalls: bool,
    shared: Arc<Shared>,
}

fn run_thread(
    index: usize,
    name: String,
    plans: Vec<PluginPlan>,
    (limits, breakage, real_time, trace_hostcalls): (Limits, Option<crate::state::Breakage>, bool, bool),
    shared: Arc<Shared>,
    started: Sender<()>,
    commands: Receiver<Command>,
) {
    let real_clock = real_time.then(|| {
        let epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(EPOCH_NS, |d| u64::try_from(d.as_nanos()).unwrap_or(EPOCH_NS));
        (std::time::Instant::now(), epoch)
    });
    let mut thread = ThreadState {
        index,
        name,
        real_clock,
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
        lineage: Vec::new(),
        limits,
        breakage,
        trace_hostcalls,
        shared: shared.clone(),
    };
    for plan in plans {
        thread.start_plugin(plan);
    }
    thread.schedule_ticks();
    let _ = started.send(());
    drop(started);
    for command in commands {
        // Callout answers that became due during the previous step, and queue
        // notifications, arrive before the next one (and before the run ends).
        thread.deliver_callouts();
        thread.deliver_real_answers(&shared);
        thread.deliver_queue_ready(&shared);
        match command {
            Command::Http { name, exchange, done } => {
                let (request, response) = *exchange;
                thread.http(name, request, response);
                let _ = done.send(());
            }
            Command::HttpLoad {
                exchange,
                count,
                done,
            } => {
                let (request, response) = *exchange;
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
            Command::Settle { done } => {
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
    /// A new VM for `plan`, at the end of `vms`.
    fn new_vm(&mut self, plan: &PluginPlan, reloads: u32) -> Result<usize, crate::vm::StartError> {
        let mut state = VmState::new(plan.abi, &plan.vm_id, plan.vm_configuration.clone());
        state.environment = plan.environment.clone();
        state.now_ns = EPOCH_NS + self.clock_ms * 1_000_000;
        state.monotonic_ns = self.clock_ms * 1_000_000;
        state.breakage = self.breakage;
        state.trace_hostcalls = self.trace_hostcalls;
        state.shared = self.shared.clone();
        state.home = (self.index, self.vms.len());
        let vm = Vm::start(&plan.linked, state, &self.limits)?;
        self.vms.push(vm);
        self.keys.push(plan.key.clone());
        self.lineage.push((plan.clone(), reloads));
        Ok(self.vms.len() - 1)
    }

    /// Rebuilds the failed VMs of `FAIL_RELOAD` plugins whose backoff has passed, before a
    /// new stream needs them (rule F4): a fresh VM from the same module, every live plugin
    /// of the old one started in it again, the filters pointed at it. The old VM stays,
    /// failed, for the streams that were using it. The wait is the plugin's base interval,
    /// doubled for each earlier reload, up to its maximum; until then the plugin fails
    /// closed.
    fn reload_failed_vms(&mut self) {
        let failed: Vec<usize> = self
            .http_filters
            .iter()
            .chain(&self.network_filters)
            .filter(|f| f.reload.is_some())
            .map(|f| f.vm)
            .filter(|vm| self.vms.get(*vm).is_some_and(|v| v.failed.is_some()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for old in failed {
            let Some(policy) = self
                .http_filters
                .iter()
                .chain(&self.network_filters)
                .find(|f| f.vm == old)
                .and_then(|f| f.reload)
            else {
                continue;
            };
            let Some((plan, reloads)) = self.lineage.get(old).cloned() else {
                continue;
            };
            let base = u64::try_from(policy.base_interval.as_millis()).unwrap_or(u64::MAX);
            let max = u64::try_from(policy.max_interval.as_millis()).unwrap_or(u64::MAX);
            let wait = base.saturating_mul(1u64 << reloads.min(32)).min(max);
            if self.clock_ms < self.vms[old].failed_at_ms.saturating_add(wait) {
                continue;
            }
            let new = match self.new_vm(&plan, reloads + 1) {
                Ok(new) => new,
                Err(e) => {
                    self.start_failures.push(StartFailure {
                        thread: self.name.clone(),
                        plugin: plan.info.name.clone(),
                        error: format!("reload: {e}"),
                    });
                    // Counts as a new failure: the next attempt waits a full interval.
                    self.vms[old].failed_at_ms = self.clock_ms;
                    continue;
                }
            };
            // The live plugins of the old VM: those with a root context.
            let old_state = self.vms[old].state();
            let mut live: Vec<usize> = old_state
                .contexts
                .values()
                .filter(|c| c.kind == ContextKind::Root)
                .map(|c| c.plugin)
                .collect();
            live.sort_unstable();
            live.dedup();
            let infos: Vec<(usize, PluginInfo)> = live
                .into_iter()
                .filter_map(|i| old_state.plugins.get(i).cloned().map(|p| (i, p)))
                .collect();
            let mut moved = BTreeMap::new();
            for (old_index, info) in infos {
                let new_index = self.vms[new].state().plugins.len();
                let name = info.name.clone();
                match self.vms[new].add_plugin(info) {
                    Ok(root) => {
                        moved.insert(old_index, (new_index, Some(root)));
                    }
                    Err(e) => {
                        moved.insert(old_index, (new_index, None));
                        self.start_failures.push(StartFailure {
                            thread: self.name.clone(),
                            plugin: name,
                            error: format!("reload: {e}"),
                        });
                    }
                }
            }
            let message = format!("the failed VM was reloaded (reload {})", reloads + 1);
            let filters = self
                .http_filters
                .iter_mut()
                .chain(self.network_filters.iter_mut());
            for filter in filters.filter(|f| f.vm == old) {
                if let Some((index, root)) = moved.get(&filter.plugin_index) {
                    filter.vm = new;
                    filter.plugin_index = *index;
                    filter.root = *root;
                }
            }
            self.vms[new].state().log(LogLevel::Warn, message);
        }
        self.schedule_ticks();
    }

    fn start_plugin(&mut self, plan: PluginPlan) {
        let vm_index = match self.keys.iter().position(|k| *k == plan.key) {
            Some(i) => Some(i),
            None => match self.new_vm(&plan, 0) {
                Ok(index) => Some(index),
                Err(e) => {
                    self.start_failures.push(StartFailure {
                        thread: self.name.clone(),
                        plugin: plan.info.name.clone(),
                        error: e.to_string(),
                    });
                    None
                }
            },
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
            reload: plan.info.reload,
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
        let (now, monotonic) = match self.real_clock {
            Some((start, epoch)) => {
                let elapsed = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
                self.clock_ms = self.clock_ms.max(elapsed / 1_000_000);
                (epoch.saturating_add(elapsed), elapsed)
            }
            None => (EPOCH_NS + self.clock_ms * 1_000_000, self.clock_ms * 1_000_000),
        };
        for vm in &mut self.vms {
            let state = vm.state();
            state.now_ns = now;
            state.monotonic_ns = monotonic;
        }
    }

    /// On the real clock, sleeps until `ms` after the thread started; on the virtual clock
    /// time simply jumps there.
    fn wait_until(&self, ms: u64) {
        if let Some((start, _)) = self.real_clock {
            let at = start + std::time::Duration::from_millis(ms);
            let now = std::time::Instant::now();
            if at > now {
                std::thread::sleep(at - now);
            }
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
                    self.wait_until(due);
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
            self.wait_until(due);
            self.clock_ms = self.clock_ms.max(due);
            self.sync_clocks();
            // Re-armed after the tick, as Envoy does (rule K1).
            self.ticks.insert((vm, root), (due + period, period));
            if let Some(v) = self.vms.get_mut(vm) {
                let _ = v.call("proxy_on_tick", root, &[root as i32]);
            }
            self.poll_streams();
        }
        self.wait_until(target);
        self.clock_ms = self.clock_ms.max(target);
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
            let http = state.callouts.values().filter(|c| !c.real).filter_map(|c| {
                match shared.response(&c.cluster) {
                    Some(r) => Some(c.sent_ms + r.delay_ms),
                    None if c.timeout_ms > 0 => Some(c.sent_ms + c.timeout_ms),
                    None => None,
                }
            });
            let grpc = state
                .grpc
                .values()
                .filter_map(|g| next_grpc_event(g, grpc_script(&shared, &g.cluster).as_ref()))
                .map(|(at, _)| at);
            if let Some(at) = http.chain(grpc).min() {
                due = Some(due.map_or(at, |d| d.min(at)));
            }
        }
        due
    }

    /// Delivers the queue notifications waiting for this thread: `proxy_on_queue_ready(root,
    /// queue_id)` on the root that registered the queue, dropped when that root or its VM
    /// is gone (rule Q4). Only those waiting now: what the callbacks enqueue waits for the
    /// next round.
    fn deliver_queue_ready(&mut self, shared: &Shared) {
        for ready in shared.take_queue_ready(self.index) {
            let Some(vm) = self.vms.get_mut(ready.owner.vm) else {
                continue;
            };
            let root = ready.owner.root;
            if vm.failed.is_some() || !vm.state().contexts.contains_key(&root) {
                continue;
            }
            let _ = vm.call(
                "proxy_on_queue_ready",
                root,
                &[root as i32, ready.queue_id as i32],
            );
            self.poll_streams();
        }
    }

    /// Delivers the next due event of every gRPC call and stream, one callback at a time
    /// (rule O8): initial metadata (map type 4), each message (buffer type 5), trailing
    /// metadata (map type 5), then `proxy_on_grpc_close` with the status `proxy_get_status`
    /// reports. A call or stream cancelled meanwhile gets nothing more.
    /// Returns whether it delivered anything.
    fn deliver_grpc(&mut self) -> bool {
        let now = self.clock_ms;
        for vm in &mut self.vms {
            if vm.failed.is_some() {
                continue;
            }
            let state = vm.state();
            let shared = state.shared.clone();
            let found = state.grpc.iter().find_map(|(token, g)| {
                next_grpc_event(g, grpc_script(&shared, &g.cluster).as_ref())
                    .filter(|(at, _)| *at <= now)
                    .map(|(_, event)| (*token, g.root, event))
            });
            let Some((token, root, event)) = found else {
                continue;
            };
            if let Some(g) = state.grpc.get_mut(&token) {
                g.delivered += 1;
                // A unary call's response ends it.
                if g.kind == GrpcKind::Call {
                    state.grpc.remove(&token);
                }
            }
            let (callback, third) = match event {
                GrpcEvent::InitialMetadata(pairs) => {
                    let n = pairs.len();
                    state
                        .callout_maps
                        .insert(MapType::GrpcCallInitialMetadata.as_u32(), pairs);
                    ("proxy_on_grpc_receive_initial_metadata", n)
                }
                GrpcEvent::Message(message) => {
                    let n = message.len();
                    state
                        .callout_buffers
                        .insert(BufferType::GrpcCallMessage.as_u32(), message);
                    ("proxy_on_grpc_receive", n)
                }
                GrpcEvent::TrailingMetadata(pairs) => {
                    let n = pairs.len();
                    state
                        .callout_maps
                        .insert(MapType::GrpcCallTrailingMetadata.as_u32(), pairs);
                    ("proxy_on_grpc_receive_trailing_metadata", n)
                }
                GrpcEvent::Close(status, message) => {
                    state.grpc.remove(&token);
                    state.callout_status = Some((status, message));
                    ("proxy_on_grpc_close", status as usize)
                }
            };
            let _ = vm.call(callback, root, &[root as i32, token as i32, third as i32]);
            self.poll_streams();
            return true;
        }
        false
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
                let found = state
                    .callouts
                    .iter()
                    .filter(|(_, c)| !c.real)
                    .find_map(|(token, c)| {
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
                if self.deliver_grpc() {
                    continue;
                }
                break;
            };
            self.deliver_http_answer(i, token, root, answer);
        }
    }

    /// Delivers what real servers answered to this thread's callouts (those whose root
    /// still exists: a deleted root's callouts were cancelled).
    fn deliver_real_answers(&mut self, shared: &Shared) {
        for ((_, vm, token), answer) in shared.take_real_answers(self.index) {
            let root = match self.vms.get_mut(vm) {
                Some(v) if v.failed.is_none() => v.state().callouts.get(&token).map(|c| c.root),
                _ => None,
            };
            if let Some(root) = root {
                self.deliver_http_answer(vm, token, root, answer);
            }
        }
    }

    /// `proxy_on_http_call_response` for one answer, readable through map types 6 / 7
    /// and buffer type 4 during the call; a reset has no headers and `proxy_get_status`
    /// gives 11 / "reset".
    fn deliver_http_answer(
        &mut self,
        vm: usize,
        token: u32,
        root: u32,
        answer: crate::shared::ScriptedResponse,
    ) {
        {
            let Some(vm) = self.vms.get_mut(vm) else { return };
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
        }
        self.poll_streams();
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
        self.reload_failed_vms();
        let mut stream = HttpStream::open(&mut self.vms, &self.http_filters, request, response);
        stream.pump(&mut self.vms);
        self.open_http.push((name, stream));
        self.poll_streams();
        self.schedule_ticks();
    }

    fn tcp(&mut self, name: String, events: Vec<TcpEvent>) {
        self.sync_clocks();
        self.reload_failed_vms();
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

/// One thing a gRPC upstream sends, in the order it sends them.
#[derive(Debug, Clone)]
enum GrpcEvent {
    InitialMetadata(Vec<crate::pairs::Pair>),
    Message(Vec<u8>),
    TrailingMetadata(Vec<crate::pairs::Pair>),
    /// gRPC status and message.
    Close(u32, Vec<u8>),
}

/// gRPC status DEADLINE_EXCEEDED, what a call gets when its timeout passes first.
const GRPC_DEADLINE_EXCEEDED: u32 = 4;

fn grpc_script(shared: &Shared, cluster: &str) -> Option<crate::shared::ScriptedGrpc> {
    shared.response(cluster).and_then(|r| r.grpc)
}

/// When the next event of a gRPC call or stream is due and what it is, or `None` while
/// it waits (on the guest, or on an upstream that never answers). A stream gets the
/// scripted metadata and messages once open, and the trailing metadata and close once the
/// guest half-closed it. A unary call gets one callback, as from Envoy's unary client
/// (and as the SDKs expect: some panic on anything more): on success
/// `proxy_on_grpc_receive` with the response, on failure `proxy_on_grpc_close` with the
/// status; unless its timeout passes first.
fn next_grpc_event(
    pending: &PendingGrpc,
    script: Option<&crate::shared::ScriptedGrpc>,
) -> Option<(u64, GrpcEvent)> {
    let timeout_at = (pending.timeout_ms > 0).then(|| pending.sent_ms + pending.timeout_ms);
    let scripted = script.and_then(|s| {
        let at = pending.sent_ms + s.delay_ms;
        if timeout_at.is_some_and(|t| t < at) {
            return None;
        }
        if pending.kind == GrpcKind::Call {
            let only = match s.status {
                0 => GrpcEvent::Message(s.messages.first().cloned().unwrap_or_default()),
                status => GrpcEvent::Close(status, s.status_message.clone()),
            };
            return (pending.delivered == 0).then_some((at, only));
        }
        let mut events: Vec<GrpcEvent> = Vec::new();
        if !s.initial_metadata.is_empty() {
            events.push(GrpcEvent::InitialMetadata(s.initial_metadata.clone()));
        }
        events.extend(s.messages.iter().cloned().map(GrpcEvent::Message));
        let head = events.len();
        if !s.trailing_metadata.is_empty() {
            events.push(GrpcEvent::TrailingMetadata(s.trailing_metadata.clone()));
        }
        events.push(GrpcEvent::Close(s.status, s.status_message.clone()));
        if pending.delivered >= head && !pending.local_closed {
            return None;
        }
        events.into_iter().nth(pending.delivered).map(|e| (at, e))
    });
    scripted.or_else(|| {
        timeout_at.map(|t| {
            (
                t,
                GrpcEvent::Close(GRPC_DEADLINE_EXCEEDED, b"upstream request timeout".to_vec()),
            )
        })
    })
}
