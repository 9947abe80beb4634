//! Between the host seam's types and the protocol's messages: a loaded configuration and
//! the seam's steps become requests; a host's observations become the run report the
//! scenario's expectations are checked against.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use pwconf_abi::types::LogLevel;
use pwconf_config::{HostConfig, PluginConfig};
use pwconf_protocol as p;
use pwconf_scenario::host::{Header, HttpExchange, MessageScript, TcpEvent, TcpScript, UpstreamScript};
use pwconf_scenario::observe::{
    HttpOutcome, LocalReply, LogLine, Message, MetricValue, Pair, RunReport, StartFailure, TcpOutcome,
    TraceEvent, VmReport, VmTrace,
};

/// A loaded configuration as the protocol carries it, every plugin on `runtime`.
pub fn configuration(config: &HostConfig, runtime: &str) -> p::Configuration {
    let plugin = |c: &PluginConfig| p::Plugin {
        name: c.name.clone(),
        root_id: c.root_id.clone(),
        configuration: p::Data(c.configuration.clone()),
        failure_policy: match (c.fail_open, c.reload) {
            (_, Some(r)) => p::FailurePolicy::FailReload {
                base_interval_ms: u64::try_from(r.base_interval.as_millis()).unwrap_or(u64::MAX),
                max_interval_ms: u64::try_from(r.max_interval.as_millis()).unwrap_or(u64::MAX),
            },
            (true, None) => p::FailurePolicy::FailOpen,
            (false, None) => p::FailurePolicy::FailClosed,
        },
        vm: p::Vm {
            vm_id: c.vm.vm_id.clone(),
            runtime: runtime.to_string(),
            code: p::Code::Base64(base64::engine::general_purpose::STANDARD.encode(c.vm.code.as_slice())),
            configuration: p::Data(c.vm.configuration.clone()),
            environment: c.vm.environment.iter().cloned().collect(),
        },
    };
    p::Configuration {
        http_filters: config.http_filters.iter().map(plugin).collect(),
        network_filters: config.network_filters.iter().map(plugin).collect(),
        services: config
            .services
            .iter()
            .map(|s| p::Service {
                singleton: s.singleton,
                plugin: plugin(&s.plugin),
            })
            .collect(),
        clusters: config
            .clusters
            .iter()
            .map(|name| p::Cluster {
                name: name.clone(),
                address: config.cluster_addresses.get(name).cloned(),
            })
            .collect(),
    }
}

fn headers(h: &[Header]) -> p::Headers {
    h.iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect()
}

fn message(m: &MessageScript) -> p::Message {
    p::Message {
        headers: headers(&m.headers),
        body: m.body.iter().map(|c| p::Data::from(c.as_str())).collect(),
        trailers: m.trailers.as_deref().map(headers),
        metadata: headers(&m.metadata),
    }
}

/// The callout clusters' scripted answers.
pub fn callouts(upstreams: &BTreeMap<String, UpstreamScript>) -> BTreeMap<String, p::CalloutAnswer> {
    upstreams
        .iter()
        .map(|(name, u)| {
            (
                name.clone(),
                p::CalloutAnswer {
                    headers: headers(&u.headers),
                    body: p::Data::from(u.body.as_str()),
                    trailers: headers(&u.trailers),
                    delay_ms: u.delay_ms,
                    reset: u.reset,
                    grpc: u.grpc.as_ref().map(|g| p::GrpcAnswer {
                        initial_metadata: headers(&g.initial_metadata),
                        messages: g.messages.iter().map(|m| p::Data::from(m.as_str())).collect(),
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

/// An HTTP stream of the seam as a request.
pub fn http(exchange: &HttpExchange) -> p::Request {
    p::Request::Http(Box::new(p::HttpStream {
        name: exchange.name.clone(),
        worker: exchange.worker,
        request: message(&exchange.request),
        response: message(&exchange.response),
    }))
}

/// A TCP connection of the seam as a request.
pub fn tcp(connection: &TcpScript) -> p::Request {
    p::Request::Tcp(p::TcpConnection {
        name: connection.name.clone(),
        worker: connection.worker,
        events: connection
            .events
            .iter()
            .map(|e| match e {
                TcpEvent::Downstream { data, end } => p::TcpEvent::Downstream {
                    data: p::Data::from(data.as_str()),
                    end: *end,
                },
                TcpEvent::Upstream { data, end } => p::TcpEvent::Upstream {
                    data: p::Data::from(data.as_str()),
                    end: *end,
                },
                TcpEvent::DownstreamClose => p::TcpEvent::DownstreamClose,
                TcpEvent::UpstreamClose => p::TcpEvent::UpstreamClose,
            })
            .collect(),
    })
}

fn pairs(h: &p::Headers) -> Vec<Pair> {
    h.iter()
        .map(|(k, v)| (k.to_ascii_lowercase().into_bytes(), v.clone().into_bytes()))
        .collect()
}

fn received(r: &p::Received) -> Message {
    Message {
        headers: pairs(&r.headers),
        chunks: Vec::new(),
        body: r.body.0.clone(),
        trailers: r.trailers.as_ref().map(pairs),
        metadata: Vec::new(),
        complete: r.complete,
    }
}

/// Why observations could not be read as a report.
#[derive(Debug, thiserror::Error)]
#[error("observations: {0}")]
pub struct ObservationError(String);

/// A host's observations as the report scenario expectations read.
///
/// # Errors
/// A log level, metric or ABI version the protocol does not have.
pub fn report(o: &p::Observations) -> Result<RunReport, ObservationError> {
    let mut report = RunReport::default();
    for (name, h) in &o.http {
        report.http.insert(
            name.clone(),
            HttpOutcome {
                upstream_request: h.upstream.as_ref().map(received),
                downstream_response: h.downstream.as_ref().map(received),
                local_reply: h.local_reply.as_ref().map(|r| LocalReply {
                    status: r.status,
                    details: r.details.clone(),
                    body: r.body.0.clone(),
                    headers: pairs(&r.headers),
                    grpc_status: r.grpc_status,
                }),
                reset: h.reset,
                stalled_at: None,
                finished: h.finished,
            },
        );
    }
    for (name, t) in &o.tcp {
        report.tcp.insert(
            name.clone(),
            TcpOutcome {
                upstream_received: t.upstream_received.0.clone(),
                downstream_received: t.downstream_received.0.clone(),
                closed_by: t.closed_by.clone(),
                close_pending: false,
                finished: t.finished,
            },
        );
    }
    for l in &o.logs {
        let level = LogLevel::from_name(&l.level.to_ascii_uppercase())
            .ok_or_else(|| ObservationError(format!("log level {:?} is not one of the ABI's", l.level)))?;
        report.logs.push(LogLine {
            level,
            message: l.message.clone(),
            context: 0,
            plugin: Arc::from(l.plugin.as_str()),
        });
    }
    for m in &o.metrics {
        report.metrics.push(MetricValue {
            name: m.name.clone(),
            kind: match m.kind {
                p::MetricKind::Counter => "counter",
                p::MetricKind::Gauge => "gauge",
                p::MetricKind::Histogram => "histogram",
            }
            .to_string(),
            value: m.value,
            samples: None,
        });
    }
    report.start_failures = o
        .start_failures
        .iter()
        .map(|f| StartFailure {
            thread: f.thread.clone(),
            plugin: f.plugin.clone(),
            error: f.error.clone(),
        })
        .collect();
    for (index, vm) in o.vms.iter().flatten().enumerate() {
        let abi = vm
            .abi
            .parse()
            .map_err(|_| ObservationError(format!("vms[{index}]: ABI version {:?} is unknown", vm.abi)))?;
        report.vms.push(VmReport {
            thread: vm.thread.clone(),
            vm_id: vm.vm_id.clone(),
            key: String::new(),
            abi,
            failed: vm.failed.clone(),
            plugins: vm.plugins.clone(),
        });
    }
    for (vm, t) in o.trace.iter().flatten().enumerate() {
        report.trace.push(VmTrace {
            thread: t.thread.clone(),
            vm,
            events: t
                .events
                .iter()
                .map(|e| match e {
                    p::TraceEvent::Callback {
                        name,
                        args,
                        result,
                        outcome,
                    } => TraceEvent::Callback {
                        name: name.clone(),
                        args: args.clone(),
                        result: *result,
                        outcome: outcome.clone(),
                    },
                    p::TraceEvent::Hostcall { name, args, status } => TraceEvent::Hostcall {
                        name: name.clone(),
                        args: args.clone(),
                        status: status.clone(),
                    },
                })
                .collect(),
        });
    }
    Ok(report)
}
