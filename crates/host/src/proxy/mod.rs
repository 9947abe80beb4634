//! Envoy's threading model with real OS threads: a main thread and N workers. Each thread
//! owns its VM instances; plugins whose VM key (vm_id, backend, VM configuration, code)
//! is equal share one VM per thread, each with its own root context. HTTP and network
//! filters and non-singleton services get a VM copy on every worker; a singleton service
//! runs one VM on the main thread only. A stream only ever touches its worker's VMs.
//!
//! Where each job lives: [`Proxy`] here starts the threads and sends them commands (one
//! per scenario step); `plan` turns a configuration into linked plugin plans (and caches
//! linked modules); `thread` is a thread's loop and where each step lands; `clock` its
//! time and ticks; `upstream` the callout, gRPC and queue deliveries; `reload` the
//! `FAIL_RELOAD` rebuilds; `report` what a thread observed.

mod clock;
mod plan;
mod reload;
mod report;
mod thread;
mod upstream;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;

use pwconf_backend::Limits;
use pwconf_config::HostConfig;

use crate::http::Message;
use crate::shared::Shared;

pub use plan::{Backends, ModuleCache};
use plan::{PluginPlan, Role};
pub use pwconf_scenario::observe::{ContextReport, RunReport, StartFailure, VmReport, VmTrace};
use thread::Command;

/// Why the proxy could not start, or a step could not be played.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("no plugin named {0:?} in the configuration")]
    UnknownPlugin(String),
    #[error("{plugin}: {message}")]
    Module { plugin: String, message: String },
    #[error("backend: {0}")]
    Backend(String),
    #[error("step names worker {index}, but the proxy runs {workers} worker(s) (worker-0..worker-{last})", last = workers.saturating_sub(1))]
    UnknownWorker { index: usize, workers: usize },
    #[error("thread {0} stopped unexpectedly")]
    ThreadLost(String),
}

/// Each proxy thread's stack: the 8 MiB an Envoy worker gets from the default pthread
/// stack, not Rust's 2 MiB, since guests on wasmtime run on it and hostcalls re-enter
/// guests from it.
const THREAD_STACK_BYTES: usize = 8 << 20;

/// Settings of a run.
#[derive(Clone)]
pub struct ProxyOptions {
    pub workers: usize,
    /// The engines plugins run on: one for all, or each plugin on the one its runtime
    /// names. The host is handed them; it creates none.
    pub backends: Backends,
    pub limits: Limits,
    /// A deliberate defect, for the suite's self-tests only (set through
    /// `ReferenceHost::broken` in a build with the `breakage` feature).
    pub(crate) breakage: Option<crate::breakage::Breakage>,
    /// What upstream clusters answer to HTTP callouts (a scenario's `upstreams`).
    pub upstreams: BTreeMap<String, crate::shared::ScriptedResponse>,
    /// Run on the real clock: guests read the system time, `advance` waits for real and
    /// ticks fire as the time passes. Otherwise a virtual clock that starts at
    /// 2026-01-01T00:00:00Z and moves only with `advance`, so runs repeat exactly.
    pub real_time: bool,
    /// Record the VMs' traces of callbacks and hostcalls: on when something reads them
    /// (trace expectations, JSON and verbose reports, coverage), off otherwise.
    pub record_trace: bool,
}

impl ProxyOptions {
    /// One worker on `backends`, default limits, no scripted upstreams, the virtual clock,
    /// the trace recorded.
    pub fn new(backends: Backends) -> ProxyOptions {
        ProxyOptions {
            workers: 1,
            backends,
            limits: Limits::default(),
            breakage: None,
            upstreams: BTreeMap::new(),
            real_time: false,
            record_trace: true,
        }
    }
}

/// One step of a scripted TCP connection.
#[derive(Debug, Clone)]
pub enum TcpEvent {
    Downstream { data: Vec<u8>, end: bool },
    Upstream { data: Vec<u8>, end: bool },
    DownstreamClose,
    UpstreamClose,
}

/// The running proxy.
pub struct Proxy {
    threads: Vec<(String, Sender<Command>, JoinHandle<()>)>,
    next_worker: usize,
    shared: Arc<Shared>,
    /// The configured plugins' names, so steps naming another one are refused.
    plugins: Vec<String>,
}

impl Proxy {
    /// Compiles and links every distinct module once, then starts the threads; each
    /// creates its VMs and root contexts (start-up failures are reported per plugin and
    /// the plugin's fail policy applies to its streams).
    ///
    /// # Errors
    /// A module with no usable ABI marker (rule L1), one that fails to compile or link
    /// (rules L2, L3, naming the import), or an unknown backend.
    pub fn start(config: &HostConfig, options: &ProxyOptions) -> Result<Proxy, ProxyError> {
        let plans = plan::plans(config, options)?;
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
            let record_trace = options.record_trace;
            let shared = shared.clone();
            let thread_name = name.clone();
            // A thread that dies while starting drops its sender, so waiting cannot hang.
            let (started_tx, started) = channel::<()>();
            let handle = std::thread::Builder::new()
                .name(name.clone())
                .stack_size(THREAD_STACK_BYTES)
                .spawn(move || {
                    thread::run_thread(
                        index,
                        thread_name,
                        plans,
                        (limits, breakage, real_time, record_trace),
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
            Some(w) if w < workers => w,
            Some(w) => return Err(ProxyError::UnknownWorker { index: w, workers }),
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
            thread.merge_into(&name, &mut report);
        }
        report.metrics = shared.metrics();
        Ok(report)
    }
}
