//! pwconf's reference host behind the host-under-test protocol: reads requests on stdin,
//! answers on stdout (`spec/host-protocol.schema.json`). It proves the protocol carries
//! everything a scenario needs: every case gives the same outcome through it as in
//! process (`tests/equivalence.rs`).
//!
//! `--break NAME` makes a deliberately broken adapter, for the suite's self-tests only:
//! the host runs correctly but what it reports is wrong (`adapter-loses-upstream-body`,
//! `adapter-drops-metrics`). Defects of the host itself are `pwconf-host`'s `breakage`
//! feature, tested in crates/suite/tests/broken_host.rs.

mod config;
mod observe;

use std::collections::BTreeMap;
use std::io::{BufReader, Write};

use pwconf_host::ReferenceHost;
use pwconf_host::proxy::Backends;
use pwconf_protocol as p;
use pwconf_scenario::host::{
    GrpcScript, Header, HttpExchange, MessageScript, TcpEvent, TcpScript, UpstreamScript,
};
use pwconf_scenario::model::{ForeignCall, Reconfigure};
use pwconf_scenario::{HostError, HostUnderTest, Start};

/// A defect of the adapter layer: the host runs correctly but what it reports is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AdapterBreakage {
    LosesUpstreamBody,
    DropsMetrics,
}

#[derive(Default)]
struct Broken {
    adapter: Option<AdapterBreakage>,
}

fn parse_args() -> Result<Broken, String> {
    let mut broken = Broken::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--break" => {
                let name = args.next().ok_or("--break needs a name")?;
                broken.adapter = Some(match name.as_str() {
                    "adapter-loses-upstream-body" => AdapterBreakage::LosesUpstreamBody,
                    "adapter-drops-metrics" => AdapterBreakage::DropsMetrics,
                    _ => return Err(format!("unknown breakage {name}")),
                });
            }
            "--help" | "-h" => {
                return Err("usage: pwconf-reference-host [--break NAME]: speaks the host-under-test protocol on stdin/stdout".into());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(broken)
}

fn text(d: &p::Data) -> String {
    d.lossy().into_owned()
}

fn headers(h: &p::Headers) -> Vec<Header> {
    h.iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect()
}

fn message(m: &p::Message) -> MessageScript {
    MessageScript {
        headers: headers(&m.headers),
        body: m.body.iter().map(text).collect(),
        trailers: m.trailers.as_ref().map(headers),
        metadata: headers(&m.metadata),
    }
}

fn scripts(callouts: &BTreeMap<String, p::CalloutAnswer>) -> BTreeMap<String, UpstreamScript> {
    callouts
        .iter()
        .map(|(name, a)| {
            (
                name.clone(),
                UpstreamScript {
                    headers: headers(&a.headers),
                    body: text(&a.body),
                    trailers: headers(&a.trailers),
                    delay_ms: a.delay_ms,
                    reset: a.reset,
                    grpc: a.grpc.as_ref().map(|g| GrpcScript {
                        initial_metadata: headers(&g.initial_metadata),
                        messages: g.messages.iter().map(text).collect(),
                        trailing_metadata: headers(&g.trailing_metadata),
                        status: g.status,
                        status_message: g.status_message.clone(),
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

fn host_error(e: HostError) -> p::Reply {
    let kind = match e {
        HostError::Refused { .. } => p::ErrorKind::Load,
        HostError::UnknownPlugin { .. } => p::ErrorKind::Step,
        HostError::Failed { .. } => p::ErrorKind::Internal,
    };
    error(kind, e.to_string())
}

/// The reference host with every backend of this build: each plugin runs on the one its
/// runtime names (`pwconf.wasmtime`, ...).
fn reference_host() -> Result<ReferenceHost, String> {
    let backends = RUNTIMES
        .iter()
        .map(|r| pwconf_engines::shared(r.trim_start_matches("pwconf.")).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ReferenceHost::new(Backends::ByName(backends)))
}

const RUNTIMES: [&str; 3] = ["pwconf.wasmtime", "pwconf.wasmer", "pwconf.wasmi"];

fn start(host: &mut ReferenceHost, request: &p::Start) -> p::Reply {
    let config = match config::host_config(&request.configuration, request.workers) {
        Ok(c) => c,
        Err(r) => return error(r.kind, r.message),
    };
    let start = Start {
        config,
        workers: request.workers,
        upstreams: scripts(&request.callouts),
        real_time: request.clock == p::Clock::Real,
    };
    match host.start(&start) {
        Ok(()) => p::Reply::Started,
        Err(e) => host_error(e),
    }
}

fn finish(host: &mut ReferenceHost, broken: &Broken) -> p::Reply {
    match host.finish() {
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
        Err(e) => host_error(e),
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
fn answer(
    request: p::Request,
    host: &mut ReferenceHost,
    running: &mut bool,
    broken: &Broken,
) -> Option<p::Reply> {
    let played = match request {
        p::Request::Hello { .. } => return Some(hello()),
        p::Request::Quit => return None,
        p::Request::Start(s) => {
            // A run left unfinished is ended first: one run at a time.
            if *running {
                let _ = host.finish();
            }
            let reply = start(host, &s);
            *running = reply == p::Reply::Started;
            return Some(reply);
        }
        _ if !*running => return Some(error(p::ErrorKind::Step, "a step before start")),
        p::Request::Finish => {
            *running = false;
            return Some(finish(host, broken));
        }
        p::Request::Http(h) => host.http(&HttpExchange {
            name: h.name.clone(),
            worker: h.worker,
            request: message(&h.request),
            response: message(&h.response),
        }),
        p::Request::Tcp(t) => host.tcp(&TcpScript {
            name: t.name.clone(),
            worker: t.worker,
            events: t
                .events
                .iter()
                .map(|e| match e {
                    p::TcpEvent::Downstream { data, end } => TcpEvent::Downstream {
                        data: text(data),
                        end: *end,
                    },
                    p::TcpEvent::Upstream { data, end } => TcpEvent::Upstream {
                        data: text(data),
                        end: *end,
                    },
                    p::TcpEvent::DownstreamClose => TcpEvent::DownstreamClose,
                    p::TcpEvent::UpstreamClose => TcpEvent::UpstreamClose,
                })
                .collect(),
        }),
        p::Request::Advance { millis } => host.advance_time(millis),
        p::Request::Reconfigure {
            plugin,
            configuration,
        } => host.reconfigure(&Reconfigure {
            plugin,
            configuration: text(&configuration),
        }),
        p::Request::ForeignFunction {
            plugin,
            function_id,
            arguments,
        } => host.foreign_function(&ForeignCall {
            plugin,
            function_id,
            arguments: text(&arguments),
        }),
    };
    Some(match played {
        Ok(()) => p::Reply::Done,
        Err(e) => host_error(e),
    })
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
    let mut host = match reference_host() {
        Ok(h) => h,
        Err(e) => {
            eprintln!("pwconf-reference-host: {e}");
            std::process::exit(2);
        }
    };
    let mut running = false;
    loop {
        let reply = match p::read_message::<_, p::Request>(&mut input) {
            Ok(None) => break,
            Ok(Some(request)) => match answer(request, &mut host, &mut running, &broken) {
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
    if running {
        let _ = host.finish();
    }
}
