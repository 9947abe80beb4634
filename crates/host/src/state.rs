//! What one VM instance knows while it runs: its plugins and contexts, which context a
//! hostcall acts on, the data of its live streams, and what it logged and did. It is the
//! engine-neutral state every hostcall reaches through the backend's `Caller`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use pwconf_abi::AbiVersion;
use pwconf_abi::types::LogLevel;
use serde::Serialize;

use crate::breakage::Breakage;

use crate::pairs::Pair;
use crate::trace::{LogLine, TraceEvent};

/// An HTTP callout waiting for its answer.
#[derive(Debug, Clone)]
pub struct PendingCallout {
    /// The root context that will receive the answer.
    pub root: u32,
    pub cluster: String,
    pub headers: Vec<Pair>,
    pub body: Vec<u8>,
    pub trailers: Vec<Pair>,
    /// 0: no timeout.
    pub timeout_ms: u64,
    /// When it was sent, on the monotonic virtual clock.
    pub sent_ms: u64,
    /// Sent to a real server: the answer comes from the wire, not the clock.
    pub real: bool,
}

/// Whether a gRPC token is a unary call or a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrpcKind {
    Call,
    Stream,
}

/// A gRPC call or stream that has not closed yet.
#[derive(Debug, Clone)]
pub struct PendingGrpc {
    /// The root context that receives its callbacks.
    pub root: u32,
    pub kind: GrpcKind,
    pub cluster: String,
    pub service: Vec<u8>,
    pub method: Vec<u8>,
    pub initial_metadata: Vec<Pair>,
    /// Messages the guest sent (the request of a call, `proxy_grpc_send` on a stream).
    pub sent: Vec<Vec<u8>>,
    /// 0: no timeout (streams have none).
    pub timeout_ms: u64,
    /// When it was opened, on the monotonic virtual clock.
    pub sent_ms: u64,
    /// How many of the upstream's scripted events were delivered.
    pub delivered: usize,
    /// The guest half-closed the stream (`end_stream` or `proxy_grpc_close`).
    pub local_closed: bool,
}

/// A plugin as configured: its identity and configuration bytes.
#[derive(Debug, Clone, Serialize)]
pub struct PluginInfo {
    pub name: String,
    pub root_id: String,
    pub vm_id: String,
    #[serde(skip)]
    pub configuration: Arc<Vec<u8>>,
    pub fail_open: bool,
    /// `FAIL_RELOAD`: how soon a failed VM may be rebuilt (rule F4).
    #[serde(skip)]
    pub reload: Option<pwconf_config::ReloadPolicy>,
}

impl PluginInfo {
    /// What a VM knows of a configured plugin.
    pub fn of(plugin: &pwconf_config::PluginConfig) -> PluginInfo {
        PluginInfo {
            name: plugin.name.clone(),
            root_id: plugin.root_id.clone(),
            vm_id: plugin.vm.vm_id.clone(),
            configuration: Arc::new(plugin.configuration.clone()),
            fail_open: plugin.fail_open,
            reload: plugin.reload,
        }
    }
}

pub use pwconf_scenario::observe::{ContextKind, LocalReply};

/// A live context of the VM.
#[derive(Debug, Clone, Serialize)]
pub struct ContextEntry {
    pub id: u32,
    pub kind: ContextKind,
    /// The root context: itself for a root.
    pub root_id: u32,
    /// Index of the plugin in [`VmState::plugins`].
    #[serde(skip)]
    pub plugin: usize,
    /// `proxy_on_context_create` has been called for it.
    #[serde(skip)]
    pub created: bool,
}

/// What the guest is doing right now; some hostcalls are only allowed in some phases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// `_initialize` / `_start` / `main` (rule L5).
    Startup,
    /// The guest's allocator (rule M5).
    Allocator,
    /// A `proxy_on_*` callback.
    Callback,
    /// Nothing is running (the host inspects state).
    Idle,
}

/// Which configuration buffer is readable during the current callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigWindow {
    None,
    /// Inside `proxy_on_vm_start`.
    Vm,
    /// Inside `proxy_on_configure` of the plugin at this index.
    Plugin(usize),
}

/// Whether the guest may read or write one header map or body buffer now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Access {
    #[default]
    None,
    Read,
    ReadWrite,
}

/// Requests a callback made that take effect once it returns (rule H10).
#[derive(Debug, Clone, Default)]
pub struct Pending {
    /// `proxy_continue_stream` per stream type (request, response, downstream, upstream).
    pub resume: [bool; 4],
    /// `proxy_close_stream` per stream type.
    pub close: [bool; 4],
    pub local_reply: Option<LocalReply>,
}

/// The data of one HTTP or TCP stream as the filter of this VM sees it.
#[derive(Debug, Clone, Default)]
pub struct StreamData {
    /// Header maps by `proxy_map_type_t` 0..=3 (request headers, request trailers,
    /// response headers, response trailers); `None` until the stream has them.
    pub maps: [Option<Vec<Pair>>; 4],
    pub map_access: [Access; 4],
    /// Buffers by `proxy_buffer_type_t` 0..=3 (request body, response body, downstream
    /// data, upstream data).
    pub buffers: [Vec<u8>; 4],
    pub buffer_access: [Access; 4],
    pub pending: Pending,
    /// Body bytes that reached this filter, per direction (request, response), for the
    /// `request.size` / `response.size` properties.
    pub body_bytes: [u64; 2],
    /// Values set with `proxy_set_property` (Envoy's filter state).
    pub filter_state: BTreeMap<Vec<u8>, Vec<u8>>,
    /// Connection facts for properties.
    pub connection: ConnectionInfo,
}

/// The addresses and id of the downstream connection a stream belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionInfo {
    pub id: u64,
    pub source_address: String,
    pub source_port: u64,
    pub destination_address: String,
    pub destination_port: u64,
}

impl Default for ConnectionInfo {
    fn default() -> Self {
        ConnectionInfo {
            id: 1,
            source_address: "127.0.0.1:50000".to_string(),
            source_port: 50000,
            destination_address: "127.0.0.1:10000".to_string(),
            destination_port: 10000,
        }
    }
}

/// The state of one VM instance.
#[derive(Debug)]
pub struct VmState {
    pub abi: AbiVersion,
    pub vm_id: String,
    pub vm_configuration: Arc<Vec<u8>>,
    /// `KEY=VALUE` pairs for WASI `environ_*`: the plugin's configured environment only.
    pub environment: Vec<(String, String)>,
    pub plugins: Vec<PluginInfo>,
    /// `plugins[i].name`, shared by the log lines that name it.
    plugin_names: Vec<Arc<str>>,
    pub contexts: BTreeMap<u32, ContextEntry>,
    next_context_id: u32,
    /// The context the host called into (0: the VM itself).
    pub current: u32,
    /// Set by `proxy_set_effective_context` for the rest of the current callback.
    pub effective: Option<u32>,
    pub phase: Phase,
    /// The callback in progress, for messages.
    pub callback: &'static str,
    pub config_window: ConfigWindow,
    pub streams: BTreeMap<u32, StreamData>,
    /// Tick period in milliseconds per root context (0 or absent: no timer).
    pub tick_periods: BTreeMap<u32, u64>,
    /// Roots that answered false to `proxy_on_done` and have not called `proxy_done`.
    pub done_pending: BTreeSet<u32>,
    /// Roots whose `proxy_done` was accepted: deleted once the current callback returns.
    pub done_confirmed: Vec<u32>,
    /// The allocator export the host calls: `malloc` or `proxy_on_memory_allocate`.
    pub allocator: Option<&'static str>,
    pub log_level: LogLevel,
    /// Time the guest sees, in nanoseconds since the epoch (a virtual clock in scenarios).
    pub now_ns: u64,
    /// Monotonic time the guest sees, in nanoseconds.
    pub monotonic_ns: u64,
    pub trace: Vec<TraceEvent>,
    pub logs: Vec<LogLine>,
    /// Record callbacks and hostcalls in `trace`: only when something reads it (a
    /// scenario's trace expectations, a JSON or verbose report, coverage), never in
    /// benchmarks (see `trace.rs`).
    pub record_trace: bool,
    /// Why a hostcall aborted the guest, kept for the failure report.
    pub abort_reason: Option<String>,
    /// Buffers of the callout whose callback is running (HTTP call body, gRPC message,
    /// foreign-function arguments), by `proxy_buffer_type_t`.
    pub callout_buffers: BTreeMap<u32, Vec<u8>>,
    /// Header maps of that callout (HTTP call response headers/trailers, gRPC metadata),
    /// by `proxy_map_type_t`.
    pub callout_maps: BTreeMap<u32, Vec<Pair>>,
    /// Status code and message `proxy_get_status` reports during a callout's callback.
    pub callout_status: Option<(u32, Vec<u8>)>,
    /// State of the generator behind WASI `random_get`.
    pub random: u64,
    /// Every context ever created in this VM, in creation order (for reports).
    pub context_log: Vec<ContextEntry>,
    /// A deliberate defect (suite self-tests only; `None` unless built with the
    /// `breakage` feature).
    pub(crate) breakage: Option<Breakage>,
    /// Shared data and metrics, common to every VM of the proxy.
    pub shared: std::sync::Arc<crate::shared::Shared>,
    /// HTTP callouts sent and not answered yet, by token.
    pub callouts: BTreeMap<u32, PendingCallout>,
    next_callout: u32,
    /// gRPC calls and streams not closed yet, by token.
    pub grpc: BTreeMap<u32, PendingGrpc>,
    next_grpc_call: u32,
    next_grpc_stream: u32,
    /// Where this VM runs (thread index, VM index in it): the address shared queues
    /// registered here send their ready notifications to.
    pub home: (usize, usize),
}

impl VmState {
    pub fn new(abi: AbiVersion, vm_id: &str, vm_configuration: Arc<Vec<u8>>) -> VmState {
        VmState {
            abi,
            vm_id: vm_id.to_string(),
            vm_configuration,
            environment: Vec::new(),
            plugins: Vec::new(),
            plugin_names: Vec::new(),
            contexts: BTreeMap::new(),
            next_context_id: 1,
            current: 0,
            effective: None,
            phase: Phase::Idle,
            callback: "",
            config_window: ConfigWindow::None,
            streams: BTreeMap::new(),
            tick_periods: BTreeMap::new(),
            done_pending: BTreeSet::new(),
            done_confirmed: Vec::new(),
            allocator: None,
            log_level: LogLevel::Info,
            now_ns: 0,
            monotonic_ns: 0,
            trace: Vec::new(),
            logs: Vec::new(),
            record_trace: true,
            abort_reason: None,
            callout_buffers: BTreeMap::new(),
            callout_maps: BTreeMap::new(),
            callout_status: None,
            random: 0x9e37_79b9_7f4a_7c15,
            context_log: Vec::new(),
            breakage: None,
            shared: Default::default(),
            callouts: BTreeMap::new(),
            next_callout: 0,
            grpc: BTreeMap::new(),
            next_grpc_call: 1,
            next_grpc_stream: 2,
            home: (0, 0),
        }
    }

    /// A fresh context id: unique among the VM's contexts, never 0 (rule C3).
    pub fn new_context(&mut self, kind: ContextKind, root_id: Option<u32>, plugin: usize) -> u32 {
        let id = self.next_context_id;
        self.next_context_id = self.next_context_id.wrapping_add(1).max(1);
        let entry = ContextEntry {
            id,
            kind,
            root_id: root_id.unwrap_or(id),
            plugin,
            created: false,
        };
        self.context_log.push(entry.clone());
        self.contexts.insert(id, entry);
        if kind != ContextKind::Root {
            self.streams.insert(id, StreamData::default());
        }
        id
    }

    /// A token for a new HTTP callout: non-zero and unique while pending (Envoy's host
    /// hands out multiples of 4 from 4).
    pub fn next_callout_token(&mut self) -> u32 {
        self.next_callout = self.next_callout.wrapping_add(4).max(4);
        self.next_callout
    }

    /// A token for a new gRPC call or stream, non-zero and unique while pending. The kind
    /// is in the low two bits, as Envoy's host does (calls 1 mod 4, streams 2 mod 4), so
    /// `proxy_grpc_send` can tell a call token from a stream token.
    pub fn next_grpc_token(&mut self, kind: GrpcKind) -> u32 {
        let counter = match kind {
            GrpcKind::Call => &mut self.next_grpc_call,
            GrpcKind::Stream => &mut self.next_grpc_stream,
        };
        *counter = counter.wrapping_add(4);
        *counter
    }

    pub fn remove_context(&mut self, id: u32) {
        // Callouts of a deleted root are cancelled: no answer is delivered (rule D6).
        self.callouts.retain(|_, c| c.root != id);
        self.grpc.retain(|_, g| g.root != id);
        self.contexts.remove(&id);
        self.streams.remove(&id);
        self.tick_periods.remove(&id);
        self.done_pending.remove(&id);
    }

    /// The context hostcalls act on: the effective one if set and still alive.
    pub fn acting_context(&self) -> u32 {
        match self.effective {
            Some(id) if id == 0 || self.contexts.contains_key(&id) => id,
            _ => self.current,
        }
    }

    /// The root of the context hostcalls act on (0 when it is the VM itself).
    pub fn acting_root(&self) -> u32 {
        let id = self.acting_context();
        self.contexts.get(&id).map_or(0, |c| c.root_id)
    }

    /// The plugin of the context hostcalls act on.
    pub fn acting_plugin(&self) -> Option<&PluginInfo> {
        let id = self.acting_context();
        let entry = self.contexts.get(&id)?;
        self.plugins.get(entry.plugin)
    }

    /// The stream data of the context hostcalls act on, if it is a stream.
    pub fn acting_stream(&mut self) -> Option<&mut StreamData> {
        let id = self.acting_context();
        self.streams.get_mut(&id)
    }

    pub fn log(&mut self, level: LogLevel, message: String) {
        let context = self.acting_context();
        let plugin = match self.contexts.get(&context).map(|c| c.plugin) {
            Some(index) if index < self.plugins.len() => {
                // Plugins are only ever appended, so names are cached by index.
                while self.plugin_names.len() <= index {
                    let name = &self.plugins[self.plugin_names.len()].name;
                    self.plugin_names.push(Arc::from(name.as_str()));
                }
                self.plugin_names[index].clone()
            }
            _ => Arc::from(""),
        };
        self.logs.push(LogLine {
            level,
            message,
            context,
            plugin,
        });
    }
}
