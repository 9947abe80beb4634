//! pwconf's reference host behind the host-under-test protocol: reads requests on stdin,
//! answers on stdout (`spec/host-protocol.schema.json`). It proves the protocol carries
//! everything a scenario needs: every case gives the same outcome through it as in
//! process (`tests/equivalence.rs`).
//!
//! `--break NAME` builds a deliberately broken host, for the suite's self-tests only:
//! a defect of the host itself (`swapped-header-values`, ...) or of the adapter layer
//! (`adapter-loses-upstream-body`, `adapter-drops-metrics`).

mod config;
mod observe;

use std::collections::BTreeMap;
use std::io::{BufReader, Write};

use pwconf_host::http::Message;
use pwconf_host::proxy::{Proxy, ProxyError, ProxyOptions, TcpEvent};
use pwconf_host::shared::{ScriptedGrpc, ScriptedResponse};
use pwconf_host::state::Breakage;
use pwconf_protocol as p;

/// A defect of the adapter layer: the host runs correctly but what it reports is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AdapterBreakage {
    LosesUpstreamBody,
    DropsMetrics,
}

#[derive(Default)]
struct Broken {
    host: Option<Breakage>,
    adapter: Option<AdapterBreakage>,
}

fn parse_args() -> Result<Broken, String> {
    let mut broken = Broken::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--break" => {
                let name = args.next().ok_or("--break needs a name")?;
                match name.as_str() {
                    "adapter-loses-upstream-body" => {
                        broken.adapter = Some(AdapterBreakage::LosesUpstreamBody)
                    }
                    "adapter-drops-metrics" => broken.adapter = Some(AdapterBreakage::DropsMetrics),
                    _ => {
                        broken.host = Some(
                            Breakage::ALL
                                .into_iter()
                                .find(|b| b.name() == name)
                                .ok_or_else(|| format!("unknown breakage {name}"))?,
                        )
                    }
                }
            }
            "--help" | "-h" => {
                return Err("usage: pwconf-reference-host [--break NAME]: speaks the host-under-test protocol on stdin/stdout".into());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(broken)
}

fn pairs(h: &p::Headers) -> Vec<pwconf_host::pairs::Pair> {
    h.iter()
        .map(|(k, v)| (k.to_ascii_lowercase().into_bytes(), v.clone().into_bytes()))
        .collect()
}

fn message(m: &p::Message) -> Message {
    Message {
        headers: pairs(&m.headers),
        chunks: m.body.iter().map(|c| c.0.clone()).collect(),
        body: Vec::new(),
        trailers: m.trailers.as_ref().map(pairs),
        metadata: pairs(&m.metadata),
        complete: false,
    }
}

fn scripts(callouts: &BTreeMap<String, p::CalloutAnswer>) -> BTreeMap<String, ScriptedResponse> {
    callouts
        .iter()
        .map(|(name, a)| {
            (
                name.clone(),
                ScriptedResponse {
                    headers: pairs(&a.headers),
                    body: a.body.0.clone(),
                    trailers: pairs(&a.trailers),
                    delay_ms: a.delay_ms,
                    reset: a.reset,
                    grpc: a.grpc.as_ref().map(|g| ScriptedGrpc {
                        initial_metadata: pairs(&g.initial_metadata),
                        messages: g.messages.iter().map(|m| m.0.clone()).collect(),
                        trailing_metadata: pairs(&g.trailing_metadata),
                        status: g.status,
                        status_message: g.status_message.clone().into_bytes(),
                        delay_ms: g.delay_ms,
                    }),
                },
            )
        })
        .collect()
}

fn error(kind: p::ErrorKind, message: impl Into<String>) -> p::Reply {
    p::Reply::Error(p::HostError {
        kind,
        message: message.into(),
    })
}

fn host_error(e: ProxyError) -> p::HostError {
    let kind = match e {
        ProxyError::UnknownPlugin(_) => p::ErrorKind::Step,
        ProxyError::Module { .. } => p::ErrorKind::Load,
        ProxyError::Backend(_) | ProxyError::ThreadLost(_) => p::ErrorKind::Internal,
    };
    p::HostError {
        kind,
        message: e.to_string(),
    }
}

fn step_error(e: ProxyError) -> p::Reply {
    p::Reply::Error(host_error(e))
}

fn start(request: &p::Start, broken: &Broken) -> Result<Proxy, p::HostError> {
    let config = config::host_config(&request.configuration, request.workers).map_err(|r| p::HostError {
        kind: r.kind,
        message: r.message,
    })?;
    let options = ProxyOptions {
        workers: request.workers,
        backend: None,
        limits: pwconf_backend::Limits::default(),
        engine: pwconf_backend::EngineConfig::default(),
        breakage: broken.host,
        upstreams: scripts(&request.callouts),
        real_time: request.clock == p::Clock::Real,
        trace_hostcalls: true,
    };
    Proxy::start(&config, &options).map_err(host_error)
}

fn finish(proxy: Proxy, broken: &Broken) -> p::Reply {
    match proxy.finish() {
        Ok(report) => {
            let mut o = observe::observations(&report);
            match broken.adapter {
                Some(AdapterBreakage::LosesUpstreamBody) => {
                    for h in o.http.values_mut() {
                        if let Some(up) = h.upstream.as_mut() {
                            up.body = p::Data::default();
                        }
                    }
                }
                Some(AdapterBreakage::DropsMetrics) => o.metrics.clear(),
                None => {}
            }
            p::Reply::Observations(Box::new(o))
        }
        Err(e) => step_error(e),
    }
}

fn hello() -> p::Reply {
    p::Reply::Hello(p::Hello {
        protocol: p::PROTOCOL_VERSION,
        host: "reference".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        abi: pwconf_abi::AbiVersion::ALL
            .iter()
            .map(|v| v.as_str().to_string())
            .collect(),
        observations: vec![p::Observable::Effects, p::Observable::Trace, p::Observable::Vms],
        runtimes: vec![
            "pwconf.wasmtime".into(),
            "pwconf.wasmer".into(),
            "pwconf.wasmi".into(),
        ],
        clocks: vec![p::Clock::Virtual, p::Clock::Real],
    })
}

/// Answers one request; `None` ends the session.
fn answer(request: p::Request, proxy: &mut Option<Proxy>, broken: &Broken) -> Option<p::Reply> {
    let reply = match request {
        p::Request::Hello { .. } => hello(),
        p::Request::Quit => return None,
        p::Request::Start(s) => {
            // A run left unfinished is ended first: one run at a time.
            if let Some(old) = proxy.take() {
                let _ = old.finish();
            }
            match start(&s, broken) {
                Ok(started) => {
                    *proxy = Some(started);
                    p::Reply::Started
                }
                Err(e) => p::Reply::Error(e),
            }
        }
        p::Request::Finish => match proxy.take() {
            Some(running) => finish(running, broken),
            None => error(p::ErrorKind::Step, "finish before start"),
        },
        step => match proxy.as_mut() {
            None => error(p::ErrorKind::Step, "a step before start"),
            Some(running) => {
                let played = match step {
                    p::Request::Http(h) => {
                        running.http(h.worker, &h.name, message(&h.request), message(&h.response))
                    }
                    p::Request::Tcp(t) => {
                        let events = t
                            .events
                            .iter()
                            .map(|e| match e {
                                p::TcpEvent::Downstream { data, end } => TcpEvent::Downstream {
                                    data: data.0.clone(),
                                    end: *end,
                                },
                                p::TcpEvent::Upstream { data, end } => TcpEvent::Upstream {
                                    data: data.0.clone(),
                                    end: *end,
                                },
                                p::TcpEvent::DownstreamClose => TcpEvent::DownstreamClose,
                                p::TcpEvent::UpstreamClose => TcpEvent::UpstreamClose,
                            })
                            .collect();
                        running.tcp(t.worker, &t.name, events)
                    }
                    p::Request::Advance { millis } => running.advance(millis),
                    p::Request::Reconfigure {
                        plugin,
                        configuration,
                    } => running.reconfigure(&plugin, &configuration.0),
                    p::Request::ForeignFunction {
                        plugin,
                        function_id,
                        arguments,
                    } => running.foreign(&plugin, function_id, &arguments.0),
                    _ => Ok(()),
                };
                match played {
                    Ok(()) => p::Reply::Done,
                    Err(e) => step_error(e),
                }
            }
        },
    };
    Some(reply)
}

fn main() {
    let broken = match parse_args() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("pwconf-reference-host: {e}");
            std::process::exit(2);
        }
    };
    let stdin = std::io::stdin();
    let mut input = BufReader::new(stdin.lock());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut proxy: Option<Proxy> = None;
    loop {
        let reply = match p::read_message::<_, p::Request>(&mut input) {
            Ok(None) => break,
            Ok(Some(request)) => match answer(request, &mut proxy, &broken) {
                Some(reply) => reply,
                None => break,
            },
            Err(p::ProtocolError::Io(e)) => {
                eprintln!("pwconf-reference-host: reading stdin: {e}");
                break;
            }
            Err(e) => error(p::ErrorKind::Protocol, e.to_string()),
        };
        if p::write_message(&mut out, &reply).is_err() {
            break;
        }
    }
    let _ = out.flush();
    if let Some(running) = proxy.take() {
        let _ = running.finish();
    }
}
