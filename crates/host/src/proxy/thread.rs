//! One proxy thread (main or a worker): its VMs and filter chains, the loop that runs the
//! commands the proxy sends it, and where each scenario step lands: plugins started,
//! streams opened and polled, reconfigurations and foreign-function calls.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

use pwconf_backend::Limits;

use super::TcpEvent;
use super::clock::EPOCH_NS;
use super::plan::{PluginPlan, Role};
use super::report::{StartFailure, ThreadReport};
use crate::breakage::Breakage;
use crate::http::{FilterRef, HttpOutcome, HttpStream, Message};
use crate::shared::Shared;
use crate::state::{ContextKind, VmState};
use crate::tcp::{Side, TcpConnection, TcpOutcome};
use crate::vm::Vm;

/// What a thread is asked to do.
pub(super) enum Command {
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

/// The VMs and filters of one thread.
pub(super) struct ThreadState {
    /// Index among the proxy's threads (0: main).
    pub(super) index: usize,
    /// On the real clock: when the thread started, and the system time then (ns since
    /// the epoch).
    pub(super) real_clock: Option<(std::time::Instant, u64)>,
    pub(super) name: String,
    pub(super) vms: Vec<Vm>,
    pub(super) keys: Vec<String>,
    pub(super) http_filters: Vec<FilterRef>,
    pub(super) network_filters: Vec<FilterRef>,
    pub(super) start_failures: Vec<StartFailure>,
    pub(super) open_http: Vec<(String, HttpStream)>,
    pub(super) open_tcp: Vec<(String, TcpConnection)>,
    pub(super) done_http: Vec<(String, HttpOutcome)>,
    pub(super) done_tcp: Vec<(String, TcpOutcome)>,
    pub(super) clock_ms: u64,
    /// Next tick due per (vm, root): (due time, period it was scheduled with).
    pub(super) ticks: BTreeMap<(usize, u32), (u64, u64)>,
    /// Per VM (same index as `vms`): the plan it was built from and how many reloads
    /// came before it, for rebuilding it after a failure (rule F4).
    pub(super) lineage: Vec<(PluginPlan, u32)>,
    pub(super) limits: Limits,
    pub(super) breakage: Option<Breakage>,
    pub(super) record_trace: bool,
    pub(super) shared: Arc<Shared>,
}

pub(super) fn run_thread(
    index: usize,
    name: String,
    plans: Vec<PluginPlan>,
    (limits, breakage, real_time, record_trace): (Limits, Option<Breakage>, bool, bool),
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
        record_trace,
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
    pub(super) fn new_vm(&mut self, plan: &PluginPlan, reloads: u32) -> Result<usize, crate::vm::StartError> {
        let mut state = VmState::new(plan.abi, &plan.vm_id, plan.vm_configuration.clone());
        state.environment = plan.environment.clone();
        state.now_ns = EPOCH_NS + self.clock_ms * 1_000_000;
        state.monotonic_ns = self.clock_ms * 1_000_000;
        state.breakage = self.breakage;
        state.record_trace = self.record_trace;
        state.shared = self.shared.clone();
        state.home = (self.index, self.vms.len());
        let vm = Vm::start(&plan.linked, state, &self.limits)?;
        self.vms.push(vm);
        self.keys.push(plan.key.clone());
        self.lineage.push((plan.clone(), reloads));
        Ok(self.vms.len() - 1)
    }

    pub(super) fn start_plugin(&mut self, plan: PluginPlan) {
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

    pub(super) fn reconfigure(&mut self, plugin: &str, configuration: Vec<u8>) {
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

    pub(super) fn foreign(&mut self, plugin: &str, function_id: u32, arguments: Vec<u8>) {
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

    /// Lets open streams act on what callbacks outside them asked (resume, close, reply).
    pub(super) fn poll_streams(&mut self) {
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

    pub(super) fn http(&mut self, name: String, request: Message, response: Message) {
        self.sync_clocks();
        self.reload_failed_vms();
        let mut stream = HttpStream::open(&mut self.vms, &self.http_filters, request, response);
        stream.pump(&mut self.vms);
        self.open_http.push((name, stream));
        self.poll_streams();
        self.schedule_ticks();
    }

    pub(super) fn tcp(&mut self, name: String, events: Vec<TcpEvent>) {
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
}
