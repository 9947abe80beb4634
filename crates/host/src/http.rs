//! The HTTP filter chain of one stream, driven as Envoy's filter manager drives it:
//! request frames go through the filters in order, the response through them in reverse;
//! a paused filter holds what follows until `proxy_continue_stream`; a body callback that
//! pauses keeps receiving the growing buffered body; a local reply goes back through the
//! filters that saw the request; at the end every filter gets `proxy_on_log`, then
//! `proxy_on_done` and `proxy_on_delete` (Envoy's order, rule H12).

use std::collections::VecDeque;

use crate::pairs::Pair;
use crate::state::{Access, ContextKind, LocalReply};
use crate::vm::Vm;

/// A filter of the chain: a plugin's root context in one of the worker's VMs.
#[derive(Debug, Clone)]
pub struct FilterRef {
    /// Index of the VM in the worker's list.
    pub vm: usize,
    /// The plugin's root context id in that VM; `None` when the plugin failed to start.
    pub root: Option<u32>,
    pub plugin: String,
    pub plugin_index: usize,
    pub fail_open: bool,
    /// `FAIL_RELOAD`: the host rebuilds the VM after a failure (rule F4).
    pub reload: Option<pwconf_config::ReloadPolicy>,
}

pub use pwconf_scenario::observe::{HttpOutcome, Message};

#[derive(Debug, Clone)]
enum Frame {
    Headers(Vec<Pair>, bool),
    Data(Vec<u8>, bool),
    Trailers(Vec<Pair>),
    /// An HTTP/2 METADATA frame: it never ends the stream and no filter can stop it.
    Metadata(Vec<Pair>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Request,
    Response,
}

impl Dir {
    fn index(self) -> usize {
        match self {
            Dir::Request => 0,
            Dir::Response => 1,
        }
    }
    /// Map types of headers / trailers, buffer type of the body.
    fn headers_map(self) -> usize {
        2 * self.index()
    }
    fn trailers_map(self) -> usize {
        2 * self.index() + 1
    }
    fn body_buffer(self) -> usize {
        self.index()
    }
    fn callbacks(self) -> [&'static str; 3] {
        match self {
            Dir::Request => [
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_request_trailers",
            ],
            Dir::Response => [
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_response_trailers",
            ],
        }
    }
    fn metadata_callback(self) -> &'static str {
        match self {
            Dir::Request => "proxy_on_request_metadata",
            Dir::Response => "proxy_on_response_metadata",
        }
    }
}

/// Where a filter stopped a direction.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stop {
    /// In a headers callback: everything after waits (Envoy's StopAllIteration).
    Headers {
        eos: bool,
    },
    /// In the last body callback (end of stream) or a trailers callback.
    Body {
        eos: bool,
    },
    Trailers,
}

#[derive(Debug, Clone, Default)]
struct DirState {
    stopped: Option<Stop>,
    held: Vec<Frame>,
    /// Body bytes this filter buffers (it paused a body callback).
    body: Vec<u8>,
    buffering: bool,
}

#[derive(Debug, Clone)]
struct Slot {
    filter: FilterRef,
    /// The stream context in the filter's VM (0 when the filter is bypassed).
    ctx: u32,
    bypass: bool,
    dirs: [DirState; 2],
}

/// One HTTP stream through the worker's filter chain.
pub struct HttpStream {
    slots: Vec<Slot>,
    queue: VecDeque<(Dir, usize, Frame)>,
    /// The upstream's scripted answer, sent once the request is complete.
    response: Message,
    response_started: bool,
    pub outcome: HttpOutcome,
}

fn action_continues(dir_callback: usize, value: Option<i64>) -> bool {
    match value {
        None | Some(0) => true,
        // ContinueAndEndStream is plain Continue in Envoy (headers only).
        Some(2) if dir_callback == 0 => true,
        _ => false,
    }
}

impl HttpStream {
    /// Creates the stream: a context in every filter's VM, announced with
    /// `proxy_on_context_create(ctx, root)` (rule C2).
    pub fn open(vms: &mut [Vm], filters: &[FilterRef], request: Message, response: Message) -> HttpStream {
        let mut slots = Vec::with_capacity(filters.len());
        for filter in filters {
            let mut slot = Slot {
                filter: filter.clone(),
                ctx: 0,
                bypass: true,
                dirs: Default::default(),
            };
            if let (Some(root), Some(vm)) = (filter.root, vms.get_mut(filter.vm))
                && vm.failed.is_none()
            {
                let ctx = vm
                    .state()
                    .new_context(ContextKind::Http, Some(root), filter.plugin_index);
                slot.ctx = ctx;
                slot.bypass = vm.create_context(ctx, root).is_err();
            }
            slots.push(slot);
        }
        let mut stream = HttpStream {
            slots,
            queue: VecDeque::new(),
            response,
            response_started: false,
            outcome: HttpOutcome::default(),
        };
        stream.send(Dir::Request, request);
        stream
    }

    /// Queues a message's frames at the start of the chain: headers, the METADATA frame
    /// if any, body chunks, trailers.
    fn send(&mut self, dir: Dir, message: Message) {
        let eos = message.chunks.is_empty() && message.trailers.is_none();
        self.queue
            .push_back((dir, 0, Frame::Headers(message.headers, eos)));
        if !message.metadata.is_empty() {
            self.queue.push_back((dir, 0, Frame::Metadata(message.metadata)));
        }
        let last = message.chunks.len();
        for (i, chunk) in message.chunks.into_iter().enumerate() {
            let eos = i + 1 == last && message.trailers.is_none();
            self.queue.push_back((dir, 0, Frame::Data(chunk, eos)));
        }
        if let Some(trailers) = message.trailers {
            self.queue.push_back((dir, 0, Frame::Trailers(trailers)));
        }
    }

    fn slot_at(&self, dir: Dir, pos: usize) -> usize {
        match dir {
            Dir::Request => pos,
            Dir::Response => self.slots.len() - 1 - pos,
        }
    }

    fn pos_of(&self, dir: Dir, slot: usize) -> usize {
        match dir {
            Dir::Request => slot,
            Dir::Response => self.slots.len() - 1 - slot,
        }
    }

    /// Moves frames through the chain until nothing can move; applies what callbacks asked.
    pub fn pump(&mut self, vms: &mut [Vm]) {
        while let Some((dir, pos, frame)) = self.queue.pop_front() {
            if self.outcome.reset {
                self.queue.clear();
                break;
            }
            if dir == Dir::Request && self.outcome.local_reply.is_some() {
                continue;
            }
            if pos == self.slots.len() {
                self.sink(dir, frame);
                continue;
            }
            let slot = self.slot_at(dir, pos);
            if self.slots[slot].dirs[dir.index()].stopped.is_some() {
                self.slots[slot].dirs[dir.index()].held.push(frame);
                continue;
            }
            self.process(vms, dir, pos, slot, frame);
        }
        if !self.outcome.finished {
            self.outcome.stalled_at = self.slots.iter().find_map(|s| {
                s.dirs
                    .iter()
                    .any(|d| d.stopped.is_some())
                    .then(|| s.filter.plugin.clone())
            });
        } else {
            self.outcome.stalled_at = None;
        }
    }

    /// Applies requests made from callbacks that did not belong to this stream (a tick, a
    /// callout response) on one of its contexts: resume, close, local reply.
    pub fn poll(&mut self, vms: &mut [Vm]) {
        for slot in 0..self.slots.len() {
            self.apply_pending(vms, slot);
        }
        self.pump(vms);
    }

    fn process(&mut self, vms: &mut [Vm], dir: Dir, pos: usize, slot: usize, frame: Frame) {
        if self.slots[slot].bypass {
            // A failed filter answers requests with 503 when it fails closed; what comes
            // back on the response path (that 503 included) passes it untouched.
            if self.slots[slot].filter.fail_open || dir == Dir::Response {
                self.queue.push_back((dir, pos + 1, frame));
            } else {
                self.fail_closed(slot);
            }
            return;
        }
        let (vm_index, ctx) = (self.slots[slot].filter.vm, self.slots[slot].ctx);
        let Some(vm) = vms.get_mut(vm_index) else { return };
        let forward = frame.clone();
        let (callback, which, mut args): (usize, _, Vec<i32>) = match &frame {
            Frame::Headers(headers, eos) => {
                let data = vm_stream(vm, ctx);
                data.maps[dir.headers_map()] = Some(headers.clone());
                data.map_access[dir.headers_map()] = Access::ReadWrite;
                // `end_of_stream` is dropped for a VM whose ABI predates it (spec `since`).
                let args = vec![ctx as i32, headers.len() as i32, i32::from(*eos)];
                (0, dir.callbacks()[0], args)
            }
            Frame::Data(chunk, eos) => {
                vm_stream(vm, ctx).body_bytes[dir.index()] += chunk.len() as u64;
                let state = &mut self.slots[slot].dirs[dir.index()];
                state.body.extend_from_slice(chunk);
                let size = state.body.len();
                let body = state.body.clone();
                let data = vm_stream(vm, ctx);
                data.buffers[dir.body_buffer()] = body;
                data.buffer_access[dir.body_buffer()] = Access::ReadWrite;
                if *eos && data.maps[dir.trailers_map()].is_none() {
                    // Trailers may be added from the last body callback (rule H8).
                    data.maps[dir.trailers_map()] = Some(Vec::new());
                    data.map_access[dir.trailers_map()] = Access::ReadWrite;
                }
                (
                    1,
                    dir.callbacks()[1],
                    vec![ctx as i32, size as i32, i32::from(*eos)],
                )
            }
            Frame::Trailers(trailers) => {
                let data = vm_stream(vm, ctx);
                data.maps[dir.trailers_map()] = Some(trailers.clone());
                data.map_access[dir.trailers_map()] = Access::ReadWrite;
                (2, dir.callbacks()[2], vec![ctx as i32, trailers.len() as i32])
            }
            Frame::Metadata(metadata) => (
                3,
                dir.metadata_callback(),
                vec![ctx as i32, metadata.len() as i32],
            ),
        };
        if vm.state().breakage == Some(crate::breakage::Breakage::WrongStreamContext)
            && let (Some(first), Some(root)) = (args.first_mut(), self.slots[slot].filter.root)
        {
            *first = root as i32;
        }
        let answer = vm.call(which, ctx, &args);
        let Ok(value) = answer else {
            self.on_failure(slot, dir, pos, forward);
            return;
        };
        let local_reply = vm_stream(vm, ctx).pending.local_reply.is_some();
        let continues = action_continues(callback, value) && !local_reply;
        let data = vm_stream(vm, ctx);
        match frame {
            Frame::Headers(_, eos) => {
                if continues {
                    // Once a direction's headers went on they are no longer available to
                    // the filter (Envoy drops them; rule H7), until on_log reads them.
                    data.map_access[dir.headers_map()] = Access::None;
                    let headers = data.maps[dir.headers_map()].clone().unwrap_or_default();
                    self.queue.push_back((dir, pos + 1, Frame::Headers(headers, eos)));
                } else {
                    self.slots[slot].dirs[dir.index()].stopped = Some(Stop::Headers { eos });
                }
            }
            Frame::Data(_, eos) => {
                let body = std::mem::take(&mut data.buffers[dir.body_buffer()]);
                let added_trailers = data.maps[dir.trailers_map()]
                    .clone()
                    .filter(|t| !t.is_empty() && eos);
                let state = &mut self.slots[slot].dirs[dir.index()];
                if continues {
                    data.buffer_access[dir.body_buffer()] = Access::None;
                    state.body.clear();
                    state.buffering = false;
                    match added_trailers {
                        Some(trailers) => {
                            self.queue.push_back((dir, pos + 1, Frame::Data(body, false)));
                            self.queue.push_back((dir, pos + 1, Frame::Trailers(trailers)));
                        }
                        None => self.queue.push_back((dir, pos + 1, Frame::Data(body, eos))),
                    }
                } else {
                    // Paused: keep buffering; later chunks come back with the whole body (H6).
                    data.buffers[dir.body_buffer()] = body.clone();
                    state.body = body;
                    state.buffering = true;
                    if eos {
                        state.stopped = Some(Stop::Body { eos: true });
                    }
                }
            }
            Frame::Trailers(_) => {
                if continues {
                    data.map_access[dir.trailers_map()] = Access::None;
                    let trailers = data.maps[dir.trailers_map()].clone().unwrap_or_default();
                    let state = &mut self.slots[slot].dirs[dir.index()];
                    if state.buffering {
                        let body = std::mem::take(&mut state.body);
                        state.buffering = false;
                        self.queue.push_back((dir, pos + 1, Frame::Data(body, false)));
                    }
                    self.queue.push_back((dir, pos + 1, Frame::Trailers(trailers)));
                } else {
                    self.slots[slot].dirs[dir.index()].stopped = Some(Stop::Trailers);
                }
            }
            // Envoy's host goes on whatever the metadata callback answers (rule H15).
            Frame::Metadata(_) => self.queue.push_back((dir, pos + 1, frame)),
        }
        self.apply_pending(vms, slot);
    }

    /// Applies what the last callback on a slot's context asked for (rule H10).
    fn apply_pending(&mut self, vms: &mut [Vm], slot: usize) {
        let (vm_index, ctx) = (self.slots[slot].filter.vm, self.slots[slot].ctx);
        if self.slots[slot].bypass || ctx == 0 {
            return;
        }
        let Some(vm) = vms.get_mut(vm_index) else { return };
        let Some(data) = vm.state().streams.get_mut(&ctx) else {
            return;
        };
        let pending = std::mem::take(&mut data.pending);
        if let Some(reply) = pending.local_reply {
            self.send_local_reply(slot, reply);
            return;
        }
        if pending.close[0] || pending.close[1] {
            self.outcome.reset = true;
            self.queue.clear();
            return;
        }
        for dir in [Dir::Request, Dir::Response] {
            if pending.resume[dir.index()] {
                self.resume(vm, slot, dir);
            }
        }
    }

    /// `proxy_continue_stream`: what the filter held goes on.
    fn resume(&mut self, vm: &mut Vm, slot: usize, dir: Dir) {
        let pos = self.pos_of(dir, slot);
        let ctx = self.slots[slot].ctx;
        let state = &mut self.slots[slot].dirs[dir.index()];
        let Some(stop) = state.stopped.take() else { return };
        let held = std::mem::take(&mut state.held);
        let data = vm_stream(vm, ctx);
        match stop {
            Stop::Headers { eos } => {
                data.map_access[dir.headers_map()] = Access::None;
                let headers = data.maps[dir.headers_map()].clone().unwrap_or_default();
                self.queue
                    .push_front((dir, pos + 1, Frame::Headers(headers, eos)));
                // What arrived meanwhile reaches the filter's body callback as one chunk.
                let mut body = Vec::new();
                let mut body_eos = false;
                let mut rest = Vec::new();
                for frame in held {
                    match frame {
                        Frame::Data(chunk, eos) => {
                            body.extend_from_slice(&chunk);
                            body_eos = eos;
                        }
                        other => rest.push(other),
                    }
                }
                let mut frames = Vec::new();
                if !body.is_empty() || body_eos {
                    frames.push(Frame::Data(body, body_eos));
                }
                frames.extend(rest);
                for (i, frame) in frames.into_iter().enumerate() {
                    self.queue.insert(1 + i, (dir, pos, frame));
                }
            }
            Stop::Body { eos } => {
                data.buffer_access[dir.body_buffer()] = Access::None;
                let body = std::mem::take(&mut data.buffers[dir.body_buffer()]);
                state.body.clear();
                state.buffering = false;
                self.queue.push_front((dir, pos + 1, Frame::Data(body, eos)));
            }
            Stop::Trailers => {
                data.map_access[dir.trailers_map()] = Access::None;
                let trailers = data.maps[dir.trailers_map()].clone().unwrap_or_default();
                let mut frames = Vec::new();
                if state.buffering {
                    frames.push(Frame::Data(std::mem::take(&mut state.body), false));
                    state.buffering = false;
                }
                frames.push(Frame::Trailers(trailers));
                for (i, frame) in frames.into_iter().enumerate() {
                    self.queue.insert(i, (dir, pos + 1, frame));
                }
            }
        }
    }

    /// A local reply goes back through the filter that sent it and those before it (H9).
    fn send_local_reply(&mut self, slot: usize, reply: LocalReply) {
        if self.outcome.local_reply.is_some() {
            return; // one local reply per stream; Envoy ignores a second
        }
        self.queue.clear();
        for s in &mut self.slots {
            s.dirs = Default::default();
        }
        let mut headers = vec![(b":status".to_vec(), reply.status.to_string().into_bytes())];
        headers.extend(reply.headers.iter().cloned());
        // As Envoy prepares a local reply: a body gets its length and, unless the filter
        // set one, `content-type: text/plain`.
        if !reply.body.is_empty() {
            headers.push((
                b"content-length".to_vec(),
                reply.body.len().to_string().into_bytes(),
            ));
            if !headers.iter().any(|(k, _)| k == b"content-type") {
                headers.push((b"content-type".to_vec(), b"text/plain".to_vec()));
            }
        }
        if let Some(grpc) = reply.grpc_status {
            headers.push((b"grpc-status".to_vec(), grpc.to_string().into_bytes()));
        }
        let pos = self.pos_of(Dir::Response, slot);
        self.response_started = true;
        let eos = reply.body.is_empty();
        self.queue
            .push_back((Dir::Response, pos, Frame::Headers(headers, eos)));
        if !eos {
            self.queue
                .push_back((Dir::Response, pos, Frame::Data(reply.body.clone(), true)));
        }
        self.outcome.downstream_response = None;
        self.outcome.local_reply = Some(reply);
    }

    /// A trap in a filter's callback: fail open lets the frame through and bypasses the
    /// filter from now on; fail closed answers 503 (rule F3).
    fn on_failure(&mut self, slot: usize, dir: Dir, pos: usize, frame: Frame) {
        self.slots[slot].bypass = true;
        if self.slots[slot].filter.fail_open {
            self.queue.push_front((dir, pos + 1, frame));
        } else {
            self.fail_closed(slot);
        }
    }

    fn fail_closed(&mut self, slot: usize) {
        // Too late for a reply once one was sent or the response reached the downstream.
        if self.outcome.local_reply.is_some() || dir_started_downstream(&self.outcome) {
            self.outcome.reset = true;
            return;
        }
        self.send_local_reply(
            slot,
            LocalReply {
                status: 503,
                details: "wasm_fail_stream".to_string(),
                body: Vec::new(),
                headers: Vec::new(),
                grpc_status: Some(14),
            },
        );
    }

    fn sink(&mut self, dir: Dir, frame: Frame) {
        let target = match dir {
            Dir::Request => self.outcome.upstream_request.get_or_insert_with(Message::default),
            Dir::Response => self
                .outcome
                .downstream_response
                .get_or_insert_with(Message::default),
        };
        let eos = match frame {
            Frame::Headers(headers, eos) => {
                target.headers = headers;
                eos
            }
            Frame::Data(chunk, eos) => {
                target.body.extend_from_slice(&chunk);
                if !chunk.is_empty() {
                    target.chunks.push(chunk);
                }
                eos
            }
            Frame::Trailers(trailers) => {
                target.trailers = Some(trailers);
                true
            }
            Frame::Metadata(metadata) => {
                target.metadata.extend(metadata);
                false
            }
        };
        if !eos {
            return;
        }
        target.complete = true;
        match dir {
            Dir::Request if !self.response_started => {
                self.response_started = true;
                let response = std::mem::take(&mut self.response);
                self.send(Dir::Response, response);
            }
            Dir::Request => {}
            Dir::Response => self.outcome.finished = true,
        }
    }

    /// Whether the stream has ended (response complete or reset).
    pub fn is_over(&self) -> bool {
        self.outcome.finished || self.outcome.reset
    }

    /// Ends the stream in every filter: `proxy_on_log` for all, then `proxy_on_done` and
    /// `proxy_on_delete` (Envoy's order; the done answer is ignored for streams, rule D5).
    pub fn close(&mut self, vms: &mut [Vm]) {
        for slot in &self.slots {
            if slot.ctx == 0 {
                continue;
            }
            if let Some(vm) = vms.get_mut(slot.filter.vm) {
                let data = vm_stream(vm, slot.ctx);
                for access in data.map_access.iter_mut() {
                    *access = Access::Read;
                }
                if vm.state().breakage != Some(crate::breakage::Breakage::SkipOnLog) {
                    vm.finish_context(slot.ctx, &["proxy_on_log"]);
                }
            }
        }
        for slot in &self.slots {
            if slot.ctx == 0 {
                continue;
            }
            if let Some(vm) = vms.get_mut(slot.filter.vm) {
                vm.finish_context(slot.ctx, &["proxy_on_done", "proxy_on_delete"]);
            }
        }
    }
}

fn dir_started_downstream(outcome: &HttpOutcome) -> bool {
    outcome
        .downstream_response
        .as_ref()
        .is_some_and(|m| !m.headers.is_empty())
}

/// The stream data of a context, created if the VM lost it (it never should).
fn vm_stream(vm: &mut Vm, ctx: u32) -> &mut crate::state::StreamData {
    vm.state().streams.entry(ctx).or_default()
}
