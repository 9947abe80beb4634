//! What every VM of a proxy shares, across threads: the shared key-value store (scoped by
//! vm_id, rules SD1-SD5), the shared queues (rules Q1-Q5) and the metrics (host-global,
//! rule MT6).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;

use pwconf_abi::types::{MetricType, Status};

/// One stored value and its compare-and-swap token.
#[derive(Debug, Clone)]
struct Entry {
    value: Vec<u8>,
    cas: u32,
}

#[derive(Debug, Default)]
struct Data {
    /// vm_id → key → entry
    stores: HashMap<String, HashMap<Vec<u8>, Entry>>,
    /// The last CAS handed out; global, never 0.
    last_cas: u32,
}

pub use pwconf_scenario::observe::MetricValue;

#[derive(Debug, Default)]
struct Metrics {
    /// name → (type, value, samples)
    stats: BTreeMap<String, (MetricType, i64, u64)>,
    /// id → name
    ids: HashMap<u32, String>,
    /// Next id per type: ids carry their type in the low 2 bits, as Envoy's host does.
    next: [u32; 3],
}

/// What an upstream cluster answers to HTTP callouts (scripted by the scenario).
#[derive(Debug, Clone, Default)]
pub struct ScriptedResponse {
    pub headers: Vec<crate::pairs::Pair>,
    pub body: Vec<u8>,
    pub trailers: Vec<crate::pairs::Pair>,
    /// Answer after this long on the virtual clock (0: right after the current step).
    pub delay_ms: u64,
    /// The connection is reset instead: the callback gets no headers.
    pub reset: bool,
    /// What the cluster answers to gRPC calls and streams.
    pub grpc: Option<ScriptedGrpc>,
}

/// What an upstream cluster answers to gRPC calls and streams (scripted by the scenario):
/// a unary call gets all of it; a stream gets the metadata and messages once opened and
/// the trailing metadata and close once the guest half-closes it.
#[derive(Debug, Clone, Default)]
pub struct ScriptedGrpc {
    pub initial_metadata: Vec<crate::pairs::Pair>,
    pub messages: Vec<Vec<u8>>,
    pub trailing_metadata: Vec<crate::pairs::Pair>,
    /// The gRPC status `proxy_on_grpc_close` reports (0: OK).
    pub status: u32,
    /// The message `proxy_get_status` gives during `proxy_on_grpc_close`.
    pub status_message: Vec<u8>,
    /// Answer this long after the call or stream opened, on the virtual clock.
    pub delay_ms: u64,
}

/// Who gets a queue's ready notifications: a root context of one VM on one thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueOwner {
    /// Index of the thread in the proxy (0: main).
    pub thread: usize,
    /// Index of the VM in that thread.
    pub vm: usize,
    pub root: u32,
}

/// A `proxy_on_queue_ready` waiting to be delivered on its owner's thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueReady {
    pub owner: QueueOwner,
    pub queue_id: u32,
}

#[derive(Debug)]
struct Queue {
    vm_id: String,
    name: Vec<u8>,
    items: VecDeque<Vec<u8>>,
    owner: QueueOwner,
}

#[derive(Debug, Default)]
struct Queues {
    by_id: BTreeMap<u32, Queue>,
    /// The last id handed out; global across vm_ids, never 0 (rule Q5).
    last_id: u32,
    /// Notifications not yet delivered, in enqueue order.
    ready: Vec<QueueReady>,
}

/// Which callout of which VM: (thread index, VM index, token).
pub type CalloutKey = (usize, usize, u32);

/// HTTP callouts sent to real servers: how many are still on the wire, and the answers
/// that came back and wait for their thread.
#[derive(Debug, Default)]
struct RealCallouts {
    in_flight: usize,
    answered: Vec<(CalloutKey, ScriptedResponse)>,
}

/// The longest a callout to a real server may take when the plugin set no timeout, so a
/// silent server cannot hang a run.
const REAL_CALLOUT_CAP: std::time::Duration = std::time::Duration::from_secs(30);

/// The state shared by all VMs of one proxy.
#[derive(Debug, Default)]
pub struct Shared {
    data: Mutex<Data>,
    metrics: Mutex<Metrics>,
    /// Cluster names callouts may target, and what each answers (absent: no answer).
    upstreams: Mutex<BTreeMap<String, Option<ScriptedResponse>>>,
    /// `host:port` of clusters served by a real server.
    addresses: Mutex<BTreeMap<String, String>>,
    real: Mutex<RealCallouts>,
    real_done: std::sync::Condvar,
    queues: Mutex<Queues>,
}

impl Shared {
    /// Declares a cluster, with the answer its callouts get (or none).
    pub fn add_cluster(&self, name: &str, response: Option<ScriptedResponse>) {
        if let Ok(mut u) = self.upstreams.lock() {
            let entry = u.entry(name.to_string()).or_insert(None);
            if response.is_some() {
                *entry = response;
            }
        }
    }

    /// Declares that a cluster's endpoint is a real server at `address` (`host:port`).
    pub fn set_cluster_address(&self, name: &str, address: &str) {
        if let Ok(mut a) = self.addresses.lock() {
            a.insert(name.to_string(), address.to_string());
        }
    }

    /// The real server behind a cluster, when the scenario does not script its answers.
    pub fn real_address(&self, name: &str) -> Option<String> {
        // Only asks whether a script exists: cloning it on every proxy_http_call would copy
        // the scripted body for nothing.
        let scripted = self.upstreams.lock().ok()?.get(name).is_some_and(Option::is_some);
        if scripted {
            return None;
        }
        self.addresses.lock().ok()?.get(name).cloned()
    }

    /// Sends an HTTP callout to a real server on its own thread; the answer (or a reset
    /// when the connection fails, or Envoy's 504 at the timeout) waits in
    /// [`Shared::take_real_answers`] for the calling VM's thread.
    pub fn send_real_callout(
        self: &std::sync::Arc<Self>,
        key: CalloutKey,
        address: &str,
        headers: &[crate::pairs::Pair],
        body: Vec<u8>,
        timeout_ms: u64,
    ) {
        let find = |name: &[u8]| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
                .unwrap_or_default()
        };
        let mut request = ureq::http::Request::builder()
            .method(find(b":method").as_str())
            .uri(format!("http://{address}{}", find(b":path")))
            .header("host", find(b":authority"));
        for (name, value) in headers.iter().filter(|(k, _)| !k.starts_with(b":")) {
            request = request.header(name.as_slice(), value.as_slice());
        }
        let timeout = match timeout_ms {
            0 => REAL_CALLOUT_CAP,
            ms => std::time::Duration::from_millis(ms).min(REAL_CALLOUT_CAP),
        };
        if let Ok(mut real) = self.real.lock() {
            real.in_flight += 1;
        }
        let shared = self.clone();
        let request = request.body(body);
        std::thread::spawn(move || {
            let answer = match request {
                Ok(request) => real_exchange(request, timeout),
                Err(_) => ScriptedResponse {
                    reset: true,
                    ..Default::default()
                },
            };
            if let Ok(mut real) = shared.real.lock() {
                real.in_flight -= 1;
                real.answered.push((key, answer));
            }
            shared.real_done.notify_all();
        });
    }

    /// Waits until no callout to a real server is on the wire.
    pub fn wait_real_callouts(&self) {
        let Ok(mut real) = self.real.lock() else { return };
        while real.in_flight > 0 {
            match self.real_done.wait(real) {
                Ok(r) => real = r,
                Err(_) => return,
            }
        }
    }

    /// Takes the real servers' answers for `thread`.
    pub fn take_real_answers(&self, thread: usize) -> Vec<(CalloutKey, ScriptedResponse)> {
        let Ok(mut real) = self.real.lock() else {
            return Vec::new();
        };
        let (mine, others) = std::mem::take(&mut real.answered)
            .into_iter()
            .partition(|(key, _)| key.0 == thread);
        real.answered = others;
        mine
    }

    pub fn has_cluster(&self, name: &str) -> bool {
        self.upstreams.lock().is_ok_and(|u| u.contains_key(name))
    }

    /// The scripted answer of a cluster.
    pub fn response(&self, name: &str) -> Option<ScriptedResponse> {
        self.upstreams.lock().ok()?.get(name).cloned().flatten()
    }

    /// The value and CAS of `key` in `vm_id`'s store (rule SD1).
    pub fn get(&self, vm_id: &str, key: &[u8]) -> Option<(Vec<u8>, u32)> {
        let data = self.data.lock().ok()?;
        let entry = data.stores.get(vm_id)?.get(key)?;
        Some((entry.value.clone(), entry.cas))
    }

    /// Stores `value` (rules SD2-SD4): cas 0 always writes; a non-zero cas must equal the
    /// stored one when the key exists; every write gets a new CAS.
    ///
    /// # Errors
    /// `CAS_MISMATCH`; `INTERNAL_FAILURE` if the store is poisoned.
    pub fn set(&self, vm_id: &str, key: &[u8], value: Vec<u8>, cas: u32) -> Result<(), Status> {
        let mut data = self.data.lock().map_err(|_| Status::InternalFailure)?;
        let current = data.stores.get(vm_id).and_then(|s| s.get(key)).map(|e| e.cas);
        if let Some(current) = current
            && cas != 0
            && cas != current
        {
            return Err(Status::CasMismatch);
        }
        data.last_cas = data.last_cas.wrapping_add(1).max(1);
        let cas = data.last_cas;
        data.stores
            .entry(vm_id.to_string())
            .or_default()
            .insert(key.to_vec(), Entry { value, cas });
        Ok(())
    }

    /// `proxy_register_shared_queue`: the id of `(vm_id, name)`, created if new; ready
    /// notifications now go to `owner` (the last registration wins), and queued items stay
    /// (rule Q1).
    ///
    /// # Errors
    /// `INTERNAL_FAILURE` if the queues are poisoned.
    pub fn register_queue(&self, vm_id: &str, name: &[u8], owner: QueueOwner) -> Result<u32, Status> {
        let mut q = self.queues.lock().map_err(|_| Status::InternalFailure)?;
        if let Some((id, queue)) = q
            .by_id
            .iter_mut()
            .find(|(_, queue)| queue.vm_id == vm_id && queue.name == name)
        {
            queue.owner = owner;
            return Ok(*id);
        }
        q.last_id = q.last_id.wrapping_add(1).max(1);
        let id = q.last_id;
        q.by_id.insert(
            id,
            Queue {
                vm_id: vm_id.to_string(),
                name: name.to_vec(),
                items: VecDeque::new(),
                owner,
            },
        );
        Ok(id)
    }

    /// `proxy_resolve_shared_queue`: the id of an existing `(vm_id, name)` (rule Q2).
    ///
    /// # Errors
    /// `NOT_FOUND`.
    pub fn resolve_queue(&self, vm_id: &str, name: &[u8]) -> Result<u32, Status> {
        let q = self.queues.lock().map_err(|_| Status::InternalFailure)?;
        q.by_id
            .iter()
            .find(|(_, queue)| queue.vm_id == vm_id && queue.name == name)
            .map(|(id, _)| *id)
            .ok_or(Status::NotFound)
    }

    /// `proxy_enqueue_shared_queue`: appends and schedules one ready notification for the
    /// queue's owner, delivered later on its thread (rules Q3, Q4).
    ///
    /// # Errors
    /// `NOT_FOUND` for an unknown id.
    pub fn enqueue(&self, id: u32, value: Vec<u8>) -> Result<(), Status> {
        let mut q = self.queues.lock().map_err(|_| Status::InternalFailure)?;
        let queue = q.by_id.get_mut(&id).ok_or(Status::NotFound)?;
        queue.items.push_back(value);
        let owner = queue.owner;
        q.ready.push(QueueReady { owner, queue_id: id });
        Ok(())
    }

    /// `proxy_dequeue_shared_queue`: the oldest item (rule Q3).
    ///
    /// # Errors
    /// `NOT_FOUND` for an unknown id, `EMPTY` when nothing is queued.
    pub fn dequeue(&self, id: u32) -> Result<Vec<u8>, Status> {
        let mut q = self.queues.lock().map_err(|_| Status::InternalFailure)?;
        let queue = q.by_id.get_mut(&id).ok_or(Status::NotFound)?;
        queue.items.pop_front().ok_or(Status::Empty)
    }

    /// Takes the notifications waiting for `thread`, oldest first.
    pub fn take_queue_ready(&self, thread: usize) -> Vec<QueueReady> {
        let Ok(mut q) = self.queues.lock() else {
            return Vec::new();
        };
        let (mine, others) = std::mem::take(&mut q.ready)
            .into_iter()
            .partition(|r| r.owner.thread == thread);
        q.ready = others;
        mine
    }

    /// The threads with something to deliver (queue notifications, real servers'
    /// answers), in thread order.
    pub fn threads_with_deliveries(&self) -> Vec<usize> {
        let Ok(q) = self.queues.lock() else {
            return Vec::new();
        };
        let mut threads: Vec<usize> = q.ready.iter().map(|r| r.owner.thread).collect();
        if let Ok(real) = self.real.lock() {
            threads.extend(real.answered.iter().map(|(key, _)| key.0));
        }
        threads.sort_unstable();
        threads.dedup();
        threads
    }

    /// Defines a metric; defining a name again gives a new id for the same stat.
    ///
    /// # Errors
    /// `INTERNAL_FAILURE` if the registry is poisoned.
    pub fn define_metric(&self, kind: MetricType, name: &str) -> Result<u32, Status> {
        let mut m = self.metrics.lock().map_err(|_| Status::InternalFailure)?;
        let slot = kind.as_u32() as usize;
        let id = kind.as_u32() + 4 + 4 * m.next[slot];
        m.next[slot] += 1;
        m.ids.insert(id, name.to_string());
        m.stats.entry(name.to_string()).or_insert((kind, 0, 0));
        Ok(id)
    }

    fn with_metric<T>(
        &self,
        id: u32,
        f: impl FnOnce(&mut (MetricType, i64, u64)) -> Result<T, Status>,
    ) -> Result<T, Status> {
        let mut m = self.metrics.lock().map_err(|_| Status::InternalFailure)?;
        let name = m.ids.get(&id).cloned().ok_or(Status::NotFound)?;
        let stat = m.stats.get_mut(&name).ok_or(Status::NotFound)?;
        f(stat)
    }

    /// `proxy_record_metric`: a gauge is set, a histogram records a sample, a counter adds
    /// the value (Envoy; rule MT2).
    ///
    /// # Errors
    /// `NOT_FOUND` for an unknown id.
    pub fn record_metric(&self, id: u32, value: u64) -> Result<(), Status> {
        self.with_metric(id, |(kind, v, samples)| {
            let value = i64::try_from(value).unwrap_or(i64::MAX);
            match kind {
                MetricType::Counter => *v = v.saturating_add(value),
                MetricType::Gauge => *v = value,
                MetricType::Histogram => {
                    *v = v.saturating_add(value);
                    *samples += 1;
                }
            }
            Ok(())
        })
    }

    /// `proxy_increment_metric`: counters take positive deltas only, gauges any delta,
    /// histograms none (Envoy; rules MT2-MT4).
    ///
    /// # Errors
    /// `NOT_FOUND` for an unknown id, `BAD_ARGUMENT` for a delta the type refuses.
    pub fn increment_metric(&self, id: u32, delta: i64) -> Result<(), Status> {
        self.with_metric(id, |(kind, v, _)| match kind {
            MetricType::Counter if delta > 0 => {
                *v = v.saturating_add(delta);
                Ok(())
            }
            MetricType::Gauge => {
                *v = v.saturating_add(delta);
                Ok(())
            }
            _ => Err(Status::BadArgument),
        })
    }

    /// `proxy_get_metric`: the value of a counter or gauge (a histogram is `BAD_ARGUMENT`,
    /// as in Envoy).
    ///
    /// # Errors
    /// `NOT_FOUND` for an unknown id, `BAD_ARGUMENT` for a histogram.
    pub fn get_metric(&self, id: u32) -> Result<u64, Status> {
        self.with_metric(id, |(kind, v, _)| match kind {
            MetricType::Histogram => Err(Status::BadArgument),
            _ => Ok(*v as u64),
        })
    }

    /// Every metric, by name.
    pub fn metrics(&self) -> Vec<MetricValue> {
        let Ok(m) = self.metrics.lock() else {
            return Vec::new();
        };
        m.stats
            .iter()
            .map(|(name, (kind, value, samples))| MetricValue {
                name: name.clone(),
                kind: match kind {
                    MetricType::Counter => "counter",
                    MetricType::Gauge => "gauge",
                    MetricType::Histogram => "histogram",
                }
                .to_string(),
                value: *value,
                samples: (*kind == MetricType::Histogram).then_some(*samples),
            })
            .collect()
    }
}

/// One request to a real server: its answer as the callback will see it.
fn real_exchange(request: ureq::http::Request<Vec<u8>>, timeout: std::time::Duration) -> ScriptedResponse {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build();
    let agent = ureq::Agent::new_with_config(config);
    match agent.run(request) {
        Ok(mut response) => {
            let mut headers = vec![(
                b":status".to_vec(),
                response.status().as_str().as_bytes().to_vec(),
            )];
            headers.extend(
                response
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.as_str().as_bytes().to_vec(), v.as_bytes().to_vec())),
            );
            match response.body_mut().read_to_vec() {
                Ok(body) => ScriptedResponse {
                    headers,
                    body,
                    ..Default::default()
                },
                Err(_) => ScriptedResponse {
                    reset: true,
                    ..Default::default()
                },
            }
        }
        // Envoy answers a callout that timed out with a synthesized 504.
        Err(ureq::Error::Timeout(_)) => ScriptedResponse {
            headers: vec![(b":status".to_vec(), b"504".to_vec())],
            body: b"upstream request timeout".to_vec(),
            ..Default::default()
        },
        Err(_) => ScriptedResponse {
            reset: true,
            ..Default::default()
        },
    }
}
