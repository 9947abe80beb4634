//! The crates.io host library `proxy-wasm-host` 0.2.0 (wasmtime 49) behind pwconf's
//! host-under-test protocol (`spec/host-protocol.schema.json`): JSON lines on stdin, answers
//! on stdout. It plays what an embedder of the crate would build: HTTP filter chains on
//! one worker, the log sink, header maps and bodies (`embedder.rs`). What this embedder
//! does not build (TCP filters, reconfiguration, foreign functions, callouts, singleton
//! services, several workers) it answers `unsupported`, which pwconf counts as
//! not-observable, never as a pass. Time is the run's clock (`clock.rs`): virtual or real,
//! with the ticks the crate leaves to its embedder.

mod clock;
mod embedder;
mod shared;

use std::io::{BufReader, Write};
use std::sync::Arc;

use base64::Engine as _;
use proxy_wasm_host::abi::v0_2_1::types::Action;
use proxy_wasm_host::abi::v0_2_1::{
    CallScope, ContextId, Guest, GuestError, Host, PluginConfig, Started, VmServices,
};
use proxy_wasm_host::{Engine, HeaderMap, Limits, Module};
use pwconf_protocol as p;

use embedder::{Body, Exchange, Logs, Sink, header_map, headers};

const RUNTIME: &str = "proxy-wasm-host.wasmtime";

fn error(kind: p::ErrorKind, message: impl Into<String>) -> p::Reply {
    p::Reply::Error(p::HostError {
        kind,
        message: message.into(),
    })
}

fn hello() -> p::Reply {
    p::Reply::Hello(p::Hello {
        protocol: 1,
        host: "proxy-wasm-host".into(),
        version: "0.2.0".into(),
        abi: vec!["0.2.0".into(), "0.2.1".into()],
        observations: vec![p::Observable::Effects],
        runtimes: vec![RUNTIME.into()],
        clocks: vec![p::Clock::Virtual, p::Clock::Real],
    })
}

/// One HTTP filter: the guest it runs in and its root context.
struct Filter {
    vm: usize,
    root: ContextId,
    fail_open: bool,
}

/// What the downstream receives of a local reply: the proxy sends it as the response,
/// prepared as Envoy prepares one (a body gets its length and, unless the plugin set one,
/// `content-type: text/plain`; a gRPC status goes out as `grpc-status`).
fn downstream_of(reply: &p::LocalReply) -> p::Received {
    let mut headers = vec![(":status".to_string(), reply.status.to_string())];
    headers.extend(reply.headers.iter().cloned());
    if !reply.body.0.is_empty() {
        headers.push(("content-length".to_string(), reply.body.0.len().to_string()));
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("content-type".to_string(), "text/plain".to_string()));
        }
    }
    if let Some(grpc) = reply.grpc_status {
        headers.push(("grpc-status".to_string(), grpc.to_string()));
    }
    p::Received {
        headers,
        body: reply.body.clone(),
        trailers: None,
        complete: true,
    }
}

/// The proxy's answer to a stream a failed plugin would have served (fail closed).
fn fail_closed_reply() -> p::LocalReply {
    p::LocalReply {
        status: 503,
        details: "wasm_fail_stream".into(),
        grpc_status: Some(14),
        ..p::LocalReply::default()
    }
}

/// A started configuration.
struct Running {
    engine: Engine,
    guests: Vec<(String, Guest)>,
    filters: Vec<Filter>,
    logs: Arc<Logs>,
    shared: Arc<shared::Shared>,
    clock: Arc<clock::RunClock>,
    ticks: clock::Ticks,
    start_failures: Vec<p::StartFailure>,
    /// A plugin failed to start and fails closed: every stream is refused.
    refuse_streams: bool,
    http: std::collections::BTreeMap<String, p::HttpObserved>,
}

/// An error with its causes, as a proxy logs it.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

fn code(vm: &p::Vm) -> Result<Vec<u8>, String> {
    match &vm.code {
        p::Code::Path(path) => std::fs::read(path).map_err(|e| format!("{path}: {e}")),
        p::Code::Base64(text) => base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| format!("module bytes: {e}")),
    }
}

fn unsupported_part(start: &p::Start) -> Option<String> {
    let c = &start.configuration;
    if !c.network_filters.is_empty() {
        return Some("network (TCP) filters".into());
    }
    if !c.services.is_empty() {
        return Some("bootstrap services".into());
    }
    if start.workers > 1 {
        return Some(format!("{} workers (this embedder runs one)", start.workers));
    }
    if !start.callouts.is_empty() || !c.clusters.is_empty() {
        return Some("callout clusters".into());
    }
    if let Some(f) = c.http_filters.iter().find(|f| f.vm.runtime != RUNTIME) {
        return Some(format!("runtime {} of plugin {}", f.vm.runtime, f.name));
    }
    None
}

fn start(request: &p::Start) -> Result<Running, Box<p::Reply>> {
    if let Some(what) = unsupported_part(request) {
        return Err(Box::new(error(p::ErrorKind::Unsupported, what)));
    }
    let engine = Engine::new().map_err(|e| Box::new(error(p::ErrorKind::Internal, e.to_string())))?;
    let host = Host::new(&engine).map_err(|e| Box::new(error(p::ErrorKind::Internal, e.to_string())))?;
    let logs = Arc::new(Logs::default());
    // One store per configuration: plugins sharing a VM id share data, as in a proxy.
    let shared = Arc::new(shared::Shared::default());
    let run_clock = clock::RunClock::new(request.clock == p::Clock::Real);
    let mut running = Running {
        engine,
        guests: Vec::new(),
        filters: Vec::new(),
        logs,
        shared: shared.clone(),
        clock: run_clock.clone(),
        ticks: clock::Ticks::default(),
        start_failures: Vec::new(),
        refuse_streams: false,
        http: Default::default(),
    };
    for plugin in &request.configuration.http_filters {
        let vm = &plugin.vm;
        let key = format!("{}\u{0}{:?}", vm.vm_id, vm.code);
        let index = match running.guests.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                // A module that does not compile, declares no ABI this host speaks, or does
                // not link refuses the configuration as a whole, as a proxy refuses a
                // config it cannot load; a failure after that is this plugin's alone.
                let made = code(vm).map_err(|e| (true, e)).and_then(|bytes| {
                    let module = Module::new(&running.engine, &bytes).map_err(|e| (true, e.to_string()))?;
                    let services = VmServices::new(Arc::new(Sink {
                        logs: running.logs.clone(),
                        plugin: plugin.name.clone(),
                    }))
                    .with_vm_id(vm.vm_id.clone().into_bytes())
                    .with_vm_configuration(vm.configuration.0.clone())
                    .with_environment(
                        vm.environment
                            .iter()
                            .map(|(k, v)| (k.clone().into_bytes(), v.clone().into_bytes()))
                            .collect(),
                    )
                    .with_shared(shared.clone())
                    .with_clock(run_clock.clone());
                    Guest::new(&host, &module, services, &Limits::default()).map_err(|e| {
                        let why = chain(&e);
                        let refuse =
                            matches!(e, GuestError::UnsupportedAbi(_)) || why.contains("unknown import");
                        (refuse, why)
                    })
                });
                match made {
                    Ok(guest) => {
                        running.guests.push((key, guest));
                        running.guests.len() - 1
                    }
                    Err((true, why)) => {
                        let message = format!("plugin {}: {why}", plugin.name);
                        return Err(Box::new(error(p::ErrorKind::Load, message)));
                    }
                    Err((false, why)) => {
                        running.start_failures.push(p::StartFailure {
                            plugin: plugin.name.clone(),
                            thread: "worker-0".into(),
                            error: why,
                        });
                        running.refuse_streams |= plugin.failure_policy != p::FailurePolicy::FailOpen;
                        continue;
                    }
                }
            }
        };
        let config = PluginConfig::new()
            .with_name(plugin.name.clone().into_bytes())
            .with_root_id(plugin.root_id.clone().into_bytes())
            .with_configuration(plugin.configuration.0.clone());
        let fail_open = plugin.failure_policy == p::FailurePolicy::FailOpen;
        let failures = running.start_failures.len();
        match running.guests[index].1.start(config) {
            Ok(Started::Serving(root)) => running.filters.push(Filter {
                vm: index,
                root,
                fail_open,
            }),
            Ok(_) => running.start_failures.push(p::StartFailure {
                plugin: plugin.name.clone(),
                thread: "worker-0".into(),
                error:
                    "the plugin refused its start (proxy_on_vm_start or proxy_on_configure answered false)"
                        .into(),
            }),
            Err(e) => running.start_failures.push(p::StartFailure {
                plugin: plugin.name.clone(),
                thread: "worker-0".into(),
                error: e.to_string(),
            }),
        }
        running.refuse_streams |= running.start_failures.len() > failures && !fail_open;
    }
    Ok(running)
}

/// One callback of one filter on the stream.
type Callback<'a> = dyn Fn(&mut CallScope<'_, Exchange>, ContextId) -> Result<Action, GuestError> + 'a;

/// Where a stream stopped in the chain.
enum Flow {
    Continue,
    /// A filter paused (or failed): nothing passes it.
    Stopped,
}

/// Runs one stream through the chain, request in filter order, response in reverse,
/// as a proxy does. A trap or refusal in a filter stops the stream and resets it.
fn http(running: &mut Running, stream: &p::HttpStream) -> p::HttpObserved {
    let mut observed = p::HttpObserved::default();
    if running.refuse_streams {
        let reply = fail_closed_reply();
        observed.downstream = Some(downstream_of(&reply));
        observed.local_reply = Some(reply);
        observed.finished = true;
        return observed;
    }
    let mut exchange = Exchange {
        request_headers: header_map(&stream.request.headers),
        request_trailers: stream
            .request
            .trailers
            .as_ref()
            .map(header_map)
            .unwrap_or_default(),
        response_headers: header_map(&stream.response.headers),
        response_trailers: stream
            .response
            .trailers
            .as_ref()
            .map(header_map)
            .unwrap_or_default(),
        in_stream: true,
        ..Exchange::default()
    };
    // Each filter gets its stream context on its own guest.
    let mut contexts: Vec<Option<ContextId>> = Vec::new();
    for f in &running.filters {
        let guest = &mut running.guests[f.vm].1;
        let (ctx, back) = guest.with(std::mem::take(&mut exchange), |scope| {
            scope.on_context_create(Some(f.root))
        });
        exchange = back;
        contexts.push(ctx.ok());
    }
    let order: Vec<usize> = (0..running.filters.len()).collect();
    let mut reset = contexts.iter().any(Option::is_none);

    let run_phase = |running: &mut Running,
                     exchange: &mut Exchange,
                     order: &[usize],
                     call: &Callback<'_>|
     -> (Flow, bool) {
        for &i in order {
            let Some(ctx) = contexts[i] else {
                return (Flow::Stopped, true);
            };
            let guest = &mut running.guests[running.filters[i].vm].1;
            let (answer, back) = guest.with(std::mem::take(exchange), |scope| call(scope, ctx));
            *exchange = back;
            match answer {
                Ok(Action::Continue) if exchange.local_reply.is_none() => {}
                Ok(_) => return (Flow::Stopped, false),
                Err(_) if running.filters[i].fail_open => {}
                Err(_) => {
                    if exchange.local_reply.is_none() {
                        exchange.local_reply = Some(fail_closed_reply());
                        return (Flow::Stopped, false);
                    }
                    return (Flow::Stopped, true);
                }
            }
        }
        (Flow::Continue, false)
    };

    // Request: headers, body chunks, trailers.
    let request_body_chunks: Vec<Vec<u8>> = stream.request.body.iter().map(|d| d.0.clone()).collect();
    let has_trailers = stream.request.trailers.is_some();
    let n = exchange.request_headers.len() as u32;
    let eos = request_body_chunks.is_empty() && !has_trailers;
    let (mut flow, failed) = run_phase(running, &mut exchange, &order, &|s, c| {
        s.on_request_headers(c, n, eos)
    });
    reset |= failed;
    let mut upstream_body = Vec::new();
    for (k, chunk) in request_body_chunks.iter().enumerate() {
        if !matches!(flow, Flow::Continue) {
            break;
        }
        let last = k + 1 == request_body_chunks.len() && !has_trailers;
        exchange.request_body = Body(chunk.clone());
        let size = chunk.len() as u32;
        let (f, failed) = run_phase(running, &mut exchange, &order, &|s, c| {
            s.on_request_body(c, size, last)
        });
        reset |= failed;
        flow = f;
        if matches!(flow, Flow::Continue) {
            upstream_body.extend_from_slice(&exchange.request_body.0);
        }
    }
    if has_trailers && matches!(flow, Flow::Continue) {
        let n = exchange.request_trailers.len() as u32;
        let (f, failed) = run_phase(running, &mut exchange, &order, &|s, c| {
            s.on_request_trailers(c, n)
        });
        reset |= failed;
        flow = f;
    }
    let request_complete = matches!(flow, Flow::Continue);
    if let Some(reply) = exchange.local_reply.take() {
        observed.downstream = Some(downstream_of(&reply));
        observed.local_reply = Some(reply);
    } else if request_complete {
        observed.upstream = Some(p::Received {
            headers: headers(&exchange.request_headers),
            body: p::Data(upstream_body),
            trailers: has_trailers.then(|| headers(&exchange.request_trailers)),
            complete: true,
        });
        // Response, through the chain in reverse.
        let reverse: Vec<usize> = order.iter().rev().copied().collect();
        let chunks: Vec<Vec<u8>> = stream.response.body.iter().map(|d| d.0.clone()).collect();
        let has_trailers = stream.response.trailers.is_some();
        let n = exchange.response_headers.len() as u32;
        let eos = chunks.is_empty() && !has_trailers;
        let (mut flow, failed) = run_phase(running, &mut exchange, &reverse, &|s, c| {
            s.on_response_headers(c, n, eos)
        });
        reset |= failed;
        let mut body = Vec::new();
        for (k, chunk) in chunks.iter().enumerate() {
            if !matches!(flow, Flow::Continue) {
                break;
            }
            let last = k + 1 == chunks.len() && !has_trailers;
            exchange.response_body = Body(chunk.clone());
            let size = chunk.len() as u32;
            let (f, failed) = run_phase(running, &mut exchange, &reverse, &|s, c| {
                s.on_response_body(c, size, last)
            });
            reset |= failed;
            flow = f;
            if matches!(flow, Flow::Continue) {
                body.extend_from_slice(&exchange.response_body.0);
            }
        }
        if has_trailers && matches!(flow, Flow::Continue) {
            let n = exchange.response_trailers.len() as u32;
            let (f, failed) = run_phase(running, &mut exchange, &reverse, &|s, c| {
                s.on_response_trailers(c, n)
            });
            reset |= failed;
            flow = f;
        }
        if let Some(reply) = exchange.local_reply.take() {
            observed.downstream = Some(downstream_of(&reply));
            observed.local_reply = Some(reply);
        } else {
            let complete = matches!(flow, Flow::Continue);
            observed.downstream = Some(p::Received {
                headers: headers(&exchange.response_headers),
                body: p::Data(body),
                trailers: has_trailers.then(|| headers(&exchange.response_trailers)),
                complete,
            });
        }
    }
    // The stream ends: done, log, delete on every filter that has a context.
    for (i, ctx) in contexts.iter().enumerate() {
        let Some(ctx) = *ctx else { continue };
        let guest = &mut running.guests[running.filters[i].vm].1;
        let (ended, back) = guest.with(std::mem::take(&mut exchange), |scope| {
            scope.on_done(ctx)?;
            scope.on_log(ctx)?;
            scope.on_delete(ctx).map(|_| ())
        });
        exchange = back;
        reset |= ended.is_err();
    }
    observed.reset = reset;
    observed.finished = true;
    observed
}

fn handle(request: p::Request, running: &mut Option<Running>) -> Option<p::Reply> {
    let reply = match request {
        p::Request::Hello { .. } => hello(),
        p::Request::Quit => return None,
        p::Request::Start(s) => match start(&s) {
            Ok(r) => {
                *running = Some(r);
                p::Reply::Started
            }
            Err(reply) => *reply,
        },
        p::Request::Http(stream) => match running.as_mut() {
            Some(r) => {
                if stream.worker.is_some_and(|w| w > 0) {
                    return Some(error(p::ErrorKind::Unsupported, "one worker only"));
                }
                let observed = http(r, &stream);
                r.http.insert(stream.name.clone(), observed);
                p::Reply::Done
            }
            None => error(p::ErrorKind::Protocol, "http before start"),
        },
        p::Request::Finish => match running.take() {
            Some(r) => {
                let logs = r.logs.lines.lock().map(|l| l.clone()).unwrap_or_default();
                p::Reply::Observations(Box::new(p::Observations {
                    http: r.http,
                    logs,
                    metrics: r.shared.metrics(),
                    start_failures: r.start_failures,
                    ..p::Observations::default()
                }))
            }
            None => error(p::ErrorKind::Protocol, "finish before start"),
        },
        p::Request::Tcp(_) => error(p::ErrorKind::Unsupported, "TCP connections"),
        p::Request::Advance { millis } => match running.as_mut() {
            Some(r) => {
                let roots: Vec<(usize, ContextId)> = r.filters.iter().map(|f| (f.vm, f.root)).collect();
                r.ticks.advance(&r.clock, millis, &roots, &mut r.guests);
                p::Reply::Done
            }
            None => error(p::ErrorKind::Protocol, "advance before start"),
        },
        p::Request::Reconfigure { .. } => error(p::ErrorKind::Unsupported, "reconfiguration"),
        p::Request::ForeignFunction { .. } => error(p::ErrorKind::Unsupported, "foreign functions"),
    };
    Some(reply)
}

fn main() {
    let stdin = std::io::stdin();
    let mut input = BufReader::new(stdin.lock());
    let mut out = std::io::stdout().lock();
    let mut running: Option<Running> = None;
    loop {
        let reply = match p::read_message::<_, p::Request>(&mut input) {
            Ok(Some(request)) => match handle(request, &mut running) {
                Some(reply) => reply,
                None => break,
            },
            Ok(None) => break,
            Err(e) => error(p::ErrorKind::Protocol, e.to_string()),
        };
        if p::write_message(&mut out, &reply).is_err() || out.flush().is_err() {
            break;
        }
    }
}
