//! The reference host behind the host seam: [`ReferenceHost`] plays scenarios on an
//! in-process [`Proxy`], turning the seam's text data into the proxy's bytes.

use pwconf_backend::Limits;
use pwconf_scenario::host::{
    GrpcScript, Header, HostError, HostUnderTest, HttpExchange, MessageScript, Start,
    TcpEvent as SeamTcpEvent, TcpScript, UpstreamScript,
};
use pwconf_scenario::model::{ForeignCall, Reconfigure};
use pwconf_scenario::observe::RunReport;

use crate::http::Message;
use crate::pairs::Pair;
use crate::proxy::{Backends, Proxy, ProxyError, ProxyOptions, TcpEvent};
use crate::shared::{ScriptedGrpc, ScriptedResponse};

/// pwconf's own host as a [`HostUnderTest`]: one run on the backends it was made with.
pub struct ReferenceHost {
    backends: Backends,
    limits: Limits,
    /// Record the trace of callbacks and hostcalls (on unless nothing reads it).
    record_trace: bool,
    #[cfg(feature = "breakage")]
    breakage: Option<crate::breakage::Breakage>,
    proxy: Option<Proxy>,
}

impl ReferenceHost {
    /// A host that runs plugins on `backends`, with the default limits.
    pub fn new(backends: Backends) -> ReferenceHost {
        ReferenceHost {
            backends,
            limits: Limits::default(),
            record_trace: true,
            #[cfg(feature = "breakage")]
            breakage: None,
            proxy: None,
        }
    }

    /// The same host recording no trace: for a caller that reads none (its report then
    /// has empty traces), since recording one costs more than the host's own work.
    pub fn without_trace(self) -> ReferenceHost {
        ReferenceHost {
            record_trace: false,
            ..self
        }
    }

    /// The same host with a deliberate defect: the suite's proof that it catches one.
    #[cfg(feature = "breakage")]
    pub fn broken(backends: Backends, breakage: crate::breakage::Breakage) -> ReferenceHost {
        ReferenceHost {
            breakage: Some(breakage),
            ..ReferenceHost::new(backends)
        }
    }

    fn proxy(&mut self) -> Result<&mut Proxy, HostError> {
        self.proxy.as_mut().ok_or_else(|| HostError::Failed {
            message: "the host was not started".to_string(),
        })
    }
}

impl From<ProxyError> for HostError {
    fn from(e: ProxyError) -> HostError {
        match e {
            ProxyError::Module { plugin, message } => HostError::Refused { plugin, message },
            ProxyError::UnknownPlugin(plugin) => HostError::UnknownPlugin { plugin },
            other @ (ProxyError::Backend(_)
            | ProxyError::ThreadLost(_)
            | ProxyError::UnknownWorker { .. }) => HostError::Failed {
                message: other.to_string(),
            },
        }
    }
}

fn pairs(headers: &[Header]) -> Vec<Pair> {
    headers
        .iter()
        .map(|(k, v)| (k.clone().into_bytes(), v.clone().into_bytes()))
        .collect()
}

fn message(script: &MessageScript) -> Message {
    Message {
        headers: pairs(&script.headers),
        chunks: script.body.iter().map(|c| c.clone().into_bytes()).collect(),
        body: Vec::new(),
        trailers: script.trailers.as_deref().map(pairs),
        metadata: pairs(&script.metadata),
        complete: false,
    }
}

fn scripted(script: &UpstreamScript) -> ScriptedResponse {
    ScriptedResponse {
        headers: pairs(&script.headers),
        body: script.body.clone().into_bytes(),
        trailers: pairs(&script.trailers),
        delay_ms: script.delay_ms,
        reset: script.reset,
        grpc: script.grpc.as_ref().map(|g: &GrpcScript| ScriptedGrpc {
            initial_metadata: pairs(&g.initial_metadata),
            messages: g.messages.iter().map(|m| m.clone().into_bytes()).collect(),
            trailing_metadata: pairs(&g.trailing_metadata),
            status: g.status,
            status_message: g.status_message.clone().into_bytes(),
            delay_ms: g.delay_ms,
        }),
    }
}

impl HostUnderTest for ReferenceHost {
    fn start(&mut self, start: &Start) -> Result<(), HostError> {
        let mut options = ProxyOptions::new(self.backends.clone());
        options.workers = start.workers;
        options.limits = self.limits;
        options.upstreams = start
            .upstreams
            .iter()
            .map(|(cluster, script)| (cluster.clone(), scripted(script)))
            .collect();
        options.real_time = start.real_time;
        options.record_trace = self.record_trace;
        #[cfg(feature = "breakage")]
        {
            options.breakage = self.breakage;
        }
        self.proxy = Some(Proxy::start(&start.config, &options)?);
        Ok(())
    }

    fn http(&mut self, exchange: &HttpExchange) -> Result<(), HostError> {
        let (request, response) = (message(&exchange.request), message(&exchange.response));
        Ok(self
            .proxy()?
            .http(exchange.worker, &exchange.name, request, response)?)
    }

    fn tcp(&mut self, connection: &TcpScript) -> Result<(), HostError> {
        let events = connection
            .events
            .iter()
            .map(|e| match e {
                SeamTcpEvent::Downstream { data, end } => TcpEvent::Downstream {
                    data: data.clone().into_bytes(),
                    end: *end,
                },
                SeamTcpEvent::Upstream { data, end } => TcpEvent::Upstream {
                    data: data.clone().into_bytes(),
                    end: *end,
                },
                SeamTcpEvent::DownstreamClose => TcpEvent::DownstreamClose,
                SeamTcpEvent::UpstreamClose => TcpEvent::UpstreamClose,
            })
            .collect();
        Ok(self.proxy()?.tcp(connection.worker, &connection.name, events)?)
    }

    fn advance_time(&mut self, millis: u64) -> Result<(), HostError> {
        Ok(self.proxy()?.advance(millis)?)
    }

    fn reconfigure(&mut self, reconfigure: &Reconfigure) -> Result<(), HostError> {
        let configuration = reconfigure.configuration.as_bytes();
        Ok(self.proxy()?.reconfigure(&reconfigure.plugin, configuration)?)
    }

    fn foreign_function(&mut self, call: &ForeignCall) -> Result<(), HostError> {
        let arguments = call.arguments.as_bytes();
        Ok(self.proxy()?.foreign(&call.plugin, call.function_id, arguments)?)
    }

    fn finish(&mut self) -> Result<RunReport, HostError> {
        let proxy = self.proxy.take().ok_or_else(|| HostError::Failed {
            message: "the host was not started".to_string(),
        })?;
        Ok(proxy.finish()?)
    }
}
