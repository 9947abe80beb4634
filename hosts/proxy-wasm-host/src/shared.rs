//! The shared services an embedder hands the crate: its in-memory store, wrapped so the
//! proxy can read back the metrics guests define (a proxy exports them; here they become
//! the run's observed metrics).

use std::sync::Mutex;

use proxy_wasm_host::abi::v0_2_1::types::{MetricType, Status};
use proxy_wasm_host::abi::v0_2_1::{
    InMemoryStore, Invocation, MetricId, QueueId, SharedServices, SharedValue,
};
use pwconf_protocol as p;

struct Defined {
    name: String,
    kind: p::MetricKind,
    id: MetricId,
    /// The call that defined it, to read it back under (the store keys nothing on it).
    call: Invocation,
    /// A histogram's sum of recorded samples (what a proxy exports as its `_sum`): the
    /// store keeps no readable histogram value.
    sum: Option<u64>,
}

/// The store, recording the metrics defined through it.
#[derive(Default)]
pub struct Shared {
    store: InMemoryStore,
    metrics: Mutex<Vec<Defined>>,
}

impl Shared {
    /// Every metric defined, with its value now.
    pub fn metrics(&self) -> Vec<p::Metric> {
        let Ok(metrics) = self.metrics.lock() else {
            return Vec::new();
        };
        metrics
            .iter()
            .filter_map(|m| {
                let value = match m.kind {
                    p::MetricKind::Histogram => m.sum?,
                    _ => self.store.get_metric(m.call, m.id).ok()?,
                };
                Some(p::Metric {
                    name: m.name.clone(),
                    kind: m.kind,
                    value: i64::try_from(value).unwrap_or(i64::MAX),
                })
            })
            .collect()
    }
}

impl SharedServices for Shared {
    fn get_shared_data(&self, call: Invocation, vm_id: &[u8], key: &[u8]) -> Result<SharedValue, Status> {
        self.store.get_shared_data(call, vm_id, key)
    }

    fn set_shared_data(
        &self,
        call: Invocation,
        vm_id: &[u8],
        key: &[u8],
        value: &[u8],
        cas: Option<u32>,
    ) -> Result<(), Status> {
        self.store.set_shared_data(call, vm_id, key, value, cas)
    }

    fn register_shared_queue(&self, call: Invocation, vm_id: &[u8], name: &[u8]) -> Result<QueueId, Status> {
        self.store.register_shared_queue(call, vm_id, name)
    }

    fn resolve_shared_queue(&self, call: Invocation, vm_id: &[u8], name: &[u8]) -> Result<QueueId, Status> {
        self.store.resolve_shared_queue(call, vm_id, name)
    }

    fn enqueue_shared_queue(&self, call: Invocation, queue: QueueId, value: &[u8]) -> Result<(), Status> {
        self.store.enqueue_shared_queue(call, queue, value)
    }

    fn dequeue_shared_queue(&self, call: Invocation, queue: QueueId) -> Result<Vec<u8>, Status> {
        self.store.dequeue_shared_queue(call, queue)
    }

    fn define_metric(
        &self,
        call: Invocation,
        vm_id: &[u8],
        kind: MetricType,
        name: &[u8],
    ) -> Result<MetricId, Status> {
        let id = self.store.define_metric(call, vm_id, kind, name)?;
        if let Ok(mut metrics) = self.metrics.lock()
            && !metrics.iter().any(|m| m.id == id)
        {
            metrics.push(Defined {
                name: String::from_utf8_lossy(name).into_owned(),
                kind: match kind {
                    MetricType::Counter => p::MetricKind::Counter,
                    MetricType::Gauge => p::MetricKind::Gauge,
                    MetricType::Histogram => p::MetricKind::Histogram,
                },
                id,
                call,
                sum: None,
            });
        }
        Ok(id)
    }

    fn record_metric(&self, call: Invocation, metric: MetricId, value: u64) -> Result<(), Status> {
        self.store.record_metric(call, metric, value)?;
        if let Ok(mut metrics) = self.metrics.lock()
            && let Some(m) = metrics.iter_mut().find(|m| m.id == metric)
        {
            m.sum = Some(m.sum.unwrap_or(0).saturating_add(value));
        }
        Ok(())
    }

    fn increment_metric(&self, call: Invocation, metric: MetricId, delta: i64) -> Result<(), Status> {
        self.store.increment_metric(call, metric, delta)
    }

    fn get_metric(&self, call: Invocation, metric: MetricId) -> Result<u64, Status> {
        self.store.get_metric(call, metric)
    }
}
