//! What the reference host observed, as protocol observations.

use pwconf_protocol as p;
use pwconf_scenario::RunReport;
use pwconf_scenario::observe::{Message, Pair, TraceEvent};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn headers(pairs: &[Pair]) -> p::Headers {
    pairs.iter().map(|(k, v)| (text(k), text(v))).collect()
}

fn received(m: &Message) -> p::Received {
    p::Received {
        headers: headers(&m.headers),
        body: p::Data(m.body.clone()),
        trailers: m.trailers.as_deref().map(headers),
        complete: m.complete,
    }
}

/// Every observation the reference host can give: effects, its VMs and their traces.
pub fn observations(report: &RunReport) -> p::Observations {
    p::Observations {
        http: report
            .http
            .iter()
            .map(|(name, h)| {
                (
                    name.clone(),
                    p::HttpObserved {
                        upstream: h.upstream_request.as_ref().map(received),
                        downstream: h.downstream_response.as_ref().map(received),
                        local_reply: h.local_reply.as_ref().map(|r| p::LocalReply {
                            status: r.status,
                            details: r.details.clone(),
                            body: p::Data(r.body.clone()),
                            headers: headers(&r.headers),
                            grpc_status: r.grpc_status,
                        }),
                        reset: h.reset,
                        finished: h.finished,
                    },
                )
            })
            .collect(),
        tcp: report
            .tcp
            .iter()
            .map(|(name, t)| {
                (
                    name.clone(),
                    p::TcpObserved {
                        upstream_received: p::Data(t.upstream_received.clone()),
                        downstream_received: p::Data(t.downstream_received.clone()),
                        closed_by: t.closed_by.clone(),
                        finished: t.finished,
                    },
                )
            })
            .collect(),
        logs: report
            .logs
            .iter()
            .map(|l| p::LogLine {
                level: l.level.name().to_ascii_lowercase(),
                message: l.message.clone(),
                plugin: l.plugin.to_string(),
            })
            .collect(),
        metrics: report
            .metrics
            .iter()
            .map(|m| p::Metric {
                name: m.name.clone(),
                kind: match m.kind.as_str() {
                    "gauge" => p::MetricKind::Gauge,
                    "histogram" => p::MetricKind::Histogram,
                    _ => p::MetricKind::Counter,
                },
                value: m.value,
            })
            .collect(),
        start_failures: report
            .start_failures
            .iter()
            .map(|f| p::StartFailure {
                plugin: f.plugin.clone(),
                thread: f.thread.clone(),
                error: f.error.clone(),
            })
            .collect(),
        // The in-process host serves scripted callouts without a wire: it keeps no record
        // of what reached them beyond the trace.
        callouts: Vec::new(),
        vms: Some(
            report
                .vms
                .iter()
                .map(|v| p::VmObserved {
                    thread: v.thread.clone(),
                    vm_id: v.vm_id.clone(),
                    abi: v.abi.as_str().to_string(),
                    failed: v.failed.clone(),
                    plugins: v.plugins.clone(),
                })
                .collect(),
        ),
        trace: Some(
            report
                .trace
                .iter()
                .map(|t| p::VmTrace {
                    thread: t.thread.clone(),
                    events: t
                        .events
                        .iter()
                        .map(|e| match e {
                            TraceEvent::Callback {
                                name,
                                args,
                                result,
                                outcome,
                            } => p::TraceEvent::Callback {
                                name: name.clone(),
                                args: args.clone(),
                                result: *result,
                                outcome: outcome.clone(),
                            },
                            TraceEvent::Hostcall { name, args, status } => p::TraceEvent::Hostcall {
                                name: name.clone(),
                                args: args.clone(),
                                status: status.clone(),
                            },
                        })
                        .collect(),
                })
                .collect(),
        ),
    }
}
