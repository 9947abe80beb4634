//! The network (TCP) filter chain of one connection: `proxy_on_new_connection`, data in
//! both directions (a paused filter buffers, and its callback sees the growing buffer),
//! closes with their peer type, then `proxy_on_done`, `proxy_on_log`, `proxy_on_delete`
//! (Envoy's TCP order, rule T6).

use pwconf_abi::types::PeerType;

use crate::http::FilterRef;
use crate::state::{Access, ContextKind};
use crate::vm::Vm;

/// Buffer types of the two directions.
const DOWNSTREAM: usize = 2;
const UPSTREAM: usize = 3;

#[derive(Debug, Clone)]
struct Slot {
    filter: FilterRef,
    ctx: u32,
    bypass: bool,
    /// Bytes a paused filter holds, per direction (downstream, upstream).
    held: [Vec<u8>; 2],
    paused: [bool; 2],
}

/// Who closed a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Downstream,
    Upstream,
    Filter,
}

impl Side {
    pub fn name(&self) -> &'static str {
        match self {
            Side::Downstream => "downstream",
            Side::Upstream => "upstream",
            Side::Filter => "filter",
        }
    }
}

pub use pwconf_scenario::observe::TcpOutcome;

/// One TCP connection through the worker's network filters.
pub struct TcpConnection {
    slots: Vec<Slot>,
    /// The upstream close was reported (it is reported once).
    upstream_closed: bool,
    pub outcome: TcpOutcome,
}

impl TcpConnection {
    /// Accepts the connection: a context per filter, then `proxy_on_new_connection` (T1).
    pub fn open(vms: &mut [Vm], filters: &[FilterRef]) -> TcpConnection {
        let mut conn = TcpConnection {
            slots: Vec::new(),
            upstream_closed: false,
            outcome: TcpOutcome::default(),
        };
        for filter in filters {
            let mut slot = Slot {
                filter: filter.clone(),
                ctx: 0,
                bypass: true,
                held: Default::default(),
                paused: [false; 2],
            };
            if let (Some(root), Some(vm)) = (filter.root, vms.get_mut(filter.vm))
                && vm.failed.is_none()
            {
                let ctx = vm
                    .state()
                    .new_context(ContextKind::Tcp, Some(root), filter.plugin_index);
                slot.ctx = ctx;
                slot.bypass = vm.create_context(ctx, root).is_err();
            }
            conn.slots.push(slot);
        }
        for i in 0..conn.slots.len() {
            if conn.slots[i].bypass {
                conn.bypassed(i);
                continue;
            }
            let (vm_index, ctx) = (conn.slots[i].filter.vm, conn.slots[i].ctx);
            let Some(vm) = vms.get_mut(vm_index) else { continue };
            match vm.call("proxy_on_new_connection", ctx, &[ctx as i32]) {
                Ok(Some(action)) if action != 0 => conn.slots[i].paused[0] = true,
                Ok(_) => {}
                Err(_) => conn.on_failure(i),
            }
            conn.apply_pending(vms, i);
        }
        conn
    }

    fn bypassed(&mut self, slot: usize) {
        if !self.slots[slot].filter.fail_open && self.outcome.closed_by.is_none() {
            self.outcome.closed_by = Some("filter".to_string());
            self.outcome.close_pending = true;
        }
    }

    fn on_failure(&mut self, slot: usize) {
        self.slots[slot].bypass = true;
        self.bypassed(slot);
    }

    /// Data from the client (`upstream = false`) or the server (`upstream = true`).
    pub fn data(&mut self, vms: &mut [Vm], upstream: bool, chunk: Vec<u8>, eos: bool) {
        let n = self.slots.len();
        let order: Vec<usize> = if upstream {
            (0..n).rev().collect()
        } else {
            (0..n).collect()
        };
        self.flow(vms, upstream, &order, chunk, eos);
    }

    fn flow(&mut self, vms: &mut [Vm], upstream: bool, order: &[usize], mut chunk: Vec<u8>, eos: bool) {
        let (dir, buffer, callback) = if upstream {
            (1, UPSTREAM, "proxy_on_upstream_data")
        } else {
            (0, DOWNSTREAM, "proxy_on_downstream_data")
        };
        for (step, &i) in order.iter().enumerate() {
            if self.outcome.closed_by.is_some() {
                return;
            }
            if self.slots[i].bypass {
                continue;
            }
            let (vm_index, ctx) = (self.slots[i].filter.vm, self.slots[i].ctx);
            let Some(vm) = vms.get_mut(vm_index) else { return };
            self.slots[i].held[dir].extend_from_slice(&chunk);
            let size = self.slots[i].held[dir].len();
            if let Some(data) = vm.state().streams.get_mut(&ctx) {
                data.buffers[buffer] = self.slots[i].held[dir].clone();
                data.buffer_access[buffer] = Access::ReadWrite;
            }
            let answer = vm.call(callback, ctx, &[ctx as i32, size as i32, i32::from(eos)]);
            let data = vm.state().streams.get_mut(&ctx).map(|d| {
                d.buffer_access[buffer] = Access::None;
                std::mem::take(&mut d.buffers[buffer])
            });
            match answer {
                Err(_) => {
                    self.on_failure(i);
                    if self.outcome.closed_by.is_some() {
                        return;
                    }
                    chunk = std::mem::take(&mut self.slots[i].held[dir]);
                    continue;
                }
                Ok(Some(action)) if action != 0 => {
                    // Paused: the filter keeps the (possibly rewritten) bytes (T2, T3).
                    self.slots[i].held[dir] = data.unwrap_or_default();
                    self.slots[i].paused[dir] = true;
                    self.apply_pending(vms, i);
                    if self.slots[i].paused[dir] {
                        return;
                    }
                    chunk = std::mem::take(&mut self.slots[i].held[dir]);
                    let _ = step;
                }
                Ok(_) => {
                    self.slots[i].held[dir].clear();
                    chunk = data.unwrap_or_default();
                    self.apply_pending(vms, i);
                }
            }
        }
        if upstream {
            self.outcome.downstream_received.extend_from_slice(&chunk);
        } else {
            self.outcome.upstream_received.extend_from_slice(&chunk);
        }
    }

    /// Applies a filter's `proxy_continue_stream` / `proxy_close_stream` (T5).
    fn apply_pending(&mut self, vms: &mut [Vm], slot: usize) {
        let (vm_index, ctx) = (self.slots[slot].filter.vm, self.slots[slot].ctx);
        let Some(vm) = vms.get_mut(vm_index) else { return };
        let Some(data) = vm.state().streams.get_mut(&ctx) else {
            return;
        };
        let pending = std::mem::take(&mut data.pending);
        if pending.close[2] || pending.close[3] {
            if self.outcome.closed_by.is_none() {
                self.outcome.closed_by = Some("filter".to_string());
                self.outcome.close_pending = true;
            }
            return;
        }
        if pending.resume[2] && self.slots[slot].paused[0] {
            self.slots[slot].paused[0] = false;
            let held = std::mem::take(&mut self.slots[slot].held[0]);
            let order: Vec<usize> = (slot + 1..self.slots.len()).collect();
            if !held.is_empty() {
                self.flow(vms, false, &order, held, false);
            }
        }
    }

    /// Applies requests made on this connection's contexts from other callbacks.
    pub fn poll(&mut self, vms: &mut [Vm]) {
        for i in 0..self.slots.len() {
            if !self.slots[i].bypass {
                self.apply_pending(vms, i);
            }
        }
    }

    /// Tells every live filter one close callback.
    fn notify(&mut self, vms: &mut [Vm], callback: &'static str, peer: PeerType) {
        for i in 0..self.slots.len() {
            if self.slots[i].bypass {
                continue;
            }
            let (vm_index, ctx) = (self.slots[i].filter.vm, self.slots[i].ctx);
            if let Some(vm) = vms.get_mut(vm_index)
                && vm
                    .call(callback, ctx, &[ctx as i32, peer.as_u32() as i32])
                    .is_err()
            {
                self.slots[i].bypass = true;
            }
        }
    }

    /// The upstream ended its stream: Envoy reports it as an upstream close of UNKNOWN
    /// peer, derived from the end of stream (rule T6).
    pub fn upstream_ended(&mut self, vms: &mut [Vm]) {
        if !std::mem::replace(&mut self.upstream_closed, true) {
            self.notify(vms, "proxy_on_upstream_connection_close", PeerType::Unknown);
        }
    }

    /// The connection closes, as Envoy's network filter sees it (T4): the client closing
    /// is a REMOTE downstream close; the upstream going away (after its end of stream) and
    /// a filter's `proxy_close_stream` close the downstream locally (LOCAL).
    pub fn close(&mut self, vms: &mut [Vm], by: Side) {
        let peer = match by {
            Side::Downstream => PeerType::Remote,
            Side::Upstream | Side::Filter => PeerType::Local,
        };
        self.notify(vms, "proxy_on_downstream_connection_close", peer);
        self.outcome
            .closed_by
            .get_or_insert_with(|| by.name().to_string());
    }

    /// Ends the connection in every filter: done, log, delete (rule T6).
    pub fn finish(&mut self, vms: &mut [Vm]) {
        for slot in &self.slots {
            if slot.ctx == 0 {
                continue;
            }
            if let Some(vm) = vms.get_mut(slot.filter.vm) {
                vm.finish_context(slot.ctx, &["proxy_on_done", "proxy_on_log", "proxy_on_delete"]);
            }
        }
        self.outcome.finished = true;
    }
}
