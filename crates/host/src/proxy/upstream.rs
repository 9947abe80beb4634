//! What comes back to a thread from outside its streams: HTTP callout answers (scripted,
//! Envoy's 504 at a timeout, or a real server's), gRPC call and stream events, and
//! shared-queue notifications, each delivered to its root after the step that caused it.

use pwconf_abi::types::{BufferType, MapType, Status};

use super::thread::ThreadState;
use crate::shared::{ScriptedResponse, Shared};
use crate::state::{GrpcKind, PendingGrpc};

impl ThreadState {
    /// When the earliest pending callout gets its answer (scripted, or Envoy's 504 at its
    /// timeout), on the virtual clock.
    pub(super) fn next_callout_due(&mut self) -> Option<u64> {
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
    pub(super) fn deliver_queue_ready(&mut self, shared: &Shared) {
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
    pub(super) fn deliver_grpc(&mut self) -> bool {
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
    pub(super) fn deliver_callouts(&mut self) {
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
                                Some(ScriptedResponse {
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
    pub(super) fn deliver_real_answers(&mut self, shared: &Shared) {
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
    pub(super) fn deliver_http_answer(&mut self, vm: usize, token: u32, root: u32, answer: ScriptedResponse) {
        {
            let Some(vm) = self.vms.get_mut(vm) else { return };
            let state = vm.state();
            state.callouts.remove(&token);
            let (headers, body, trailers) = if answer.reset {
                state.callout_status = Some((Status::BrokenConnection.as_u32(), b"reset".to_vec()));
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
            state
                .callout_maps
                .insert(MapType::HttpCallResponseHeaders.as_u32(), headers);
            state
                .callout_maps
                .insert(MapType::HttpCallResponseTrailers.as_u32(), trailers);
            state
                .callout_buffers
                .insert(BufferType::HttpCallResponseBody.as_u32(), body);
            let _ = vm.call("proxy_on_http_call_response", root, &counts);
        }
        self.poll_streams();
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
