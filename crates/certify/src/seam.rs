//! The host seam over the protocol: an external host process is a [`HostUnderTest`] like
//! the in-process reference host, so the scenario engine plays and judges cases on it
//! unchanged.

use pwconf_protocol::{self as p, Clock, ErrorKind, Reply, Request};
use pwconf_scenario::host::{HttpExchange, TcpScript};
use pwconf_scenario::model::{ForeignCall, Reconfigure};
use pwconf_scenario::{HostError, HostUnderTest, RunReport, Start};

use crate::client::{ClientError, ExternalHost};
use crate::convert;

/// One run on an external host, every plugin on `runtime`.
pub struct ProtocolHost<'a> {
    host: &'a mut ExternalHost,
    runtime: String,
    /// Set when the host answered `unsupported`: it cannot play this case at all.
    pub unsupported: Option<String>,
}

impl<'a> ProtocolHost<'a> {
    pub fn new(host: &'a mut ExternalHost, runtime: &str) -> ProtocolHost<'a> {
        ProtocolHost {
            host,
            runtime: runtime.to_string(),
            unsupported: None,
        }
    }

    fn failed(&mut self, e: ClientError) -> HostError {
        match e {
            ClientError::Host { error, .. } if error.kind == ErrorKind::Load => HostError::Refused {
                plugin: String::new(),
                message: error.message,
            },
            ClientError::Host { error, .. } if error.kind == ErrorKind::Unsupported => {
                let message = format!("unsupported: {}", error.message);
                self.unsupported = Some(error.message);
                HostError::Failed { message }
            }
            other => HostError::Failed {
                message: other.to_string(),
            },
        }
    }

    fn step(&mut self, request: &Request) -> Result<(), HostError> {
        match self.host.expect(request, &Reply::Done) {
            Ok(()) => Ok(()),
            Err(e) => {
                let error = self.failed(e);
                // The run is abandoned: end it so the host is ready for the next one.
                let _ = self.host.request(&Request::Finish);
                Err(error)
            }
        }
    }
}

impl HostUnderTest for ProtocolHost<'_> {
    fn start(&mut self, start: &Start) -> Result<(), HostError> {
        let clocks = &self.host.hello().clocks;
        // The virtual clock when the host has one (runs repeat exactly), else the real one.
        let clock = if start.real_time || !clocks.contains(&Clock::Virtual) {
            Clock::Real
        } else {
            Clock::Virtual
        };
        let request = Request::Start(Box::new(p::Start {
            configuration: convert::configuration(&start.config, &self.runtime),
            workers: start.workers,
            clock,
            callouts: convert::callouts(&start.upstreams),
        }));
        self.host
            .expect(&request, &Reply::Started)
            .map_err(|e| self.failed(e))
    }

    fn http(&mut self, exchange: &HttpExchange) -> Result<(), HostError> {
        self.step(&convert::http(exchange))
    }

    fn tcp(&mut self, connection: &TcpScript) -> Result<(), HostError> {
        self.step(&convert::tcp(connection))
    }

    fn advance_time(&mut self, millis: u64) -> Result<(), HostError> {
        self.step(&Request::Advance { millis })
    }

    fn reconfigure(&mut self, reconfigure: &Reconfigure) -> Result<(), HostError> {
        self.step(&Request::Reconfigure {
            plugin: reconfigure.plugin.clone(),
            configuration: p::Data::from(reconfigure.configuration.as_str()),
        })
    }

    fn foreign_function(&mut self, call: &ForeignCall) -> Result<(), HostError> {
        self.step(&Request::ForeignFunction {
            plugin: call.plugin.clone(),
            function_id: call.function_id,
            arguments: p::Data::from(call.arguments.as_str()),
        })
    }

    fn finish(&mut self) -> Result<RunReport, HostError> {
        match self.host.request(&Request::Finish) {
            Ok(Reply::Observations(o)) => convert::report(&o).map_err(|e| HostError::Failed {
                message: format!("host `{}`: {e}", self.host.command()),
            }),
            Ok(other) => Err(HostError::Failed {
                message: format!("host `{}` answered finish with {other:?}", self.host.command()),
            }),
            Err(e) => Err(self.failed(e)),
        }
    }
}
