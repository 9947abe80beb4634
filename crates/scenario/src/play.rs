//! Playing a scenario on a host: its steps turned into the seam's calls, in order, and
//! the run judged at the end.

use std::collections::BTreeMap;

use crate::check::Check;
use crate::host::{
    GrpcScript, Header, HostError, HostUnderTest, HttpExchange, MessageScript, Start, TcpEvent, TcpScript,
    UpstreamScript,
};
use crate::model::{Headers, MessageSpec, Scenario, Side, Step};
use crate::observe::RunReport;

fn headers(h: &Headers) -> Vec<Header> {
    h.0.iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect()
}

fn message(spec: &MessageSpec) -> MessageScript {
    MessageScript {
        headers: headers(&spec.headers),
        body: spec.body.0.clone(),
        trailers: spec.trailers.as_ref().map(headers),
        metadata: headers(&spec.metadata),
    }
}

impl Scenario {
    /// Whether any step opens an HTTP stream, and whether any opens a TCP connection.
    pub fn uses(&self) -> (bool, bool) {
        let http = self.steps.iter().any(|s| matches!(s, Step::Http(_)));
        let tcp = self.steps.iter().any(|s| matches!(s, Step::Tcp(_)));
        (http, tcp)
    }

    /// Worker threads: the scenario's, else the configuration's, else `fallback`.
    pub fn workers(&self, config: &pwconf_config::HostConfig, fallback: usize) -> usize {
        self.workers.or(config.workers).unwrap_or(fallback)
    }

    /// The upstream clusters' scripted answers, as the host gets them at start.
    pub fn upstream_scripts(&self) -> BTreeMap<String, UpstreamScript> {
        self.upstreams
            .iter()
            .map(|(cluster, spec)| {
                let script = UpstreamScript {
                    headers: headers(&spec.headers),
                    body: spec.body.clone(),
                    trailers: headers(&spec.trailers),
                    delay_ms: spec.delay_ms,
                    reset: spec.reset,
                    grpc: spec.grpc.as_ref().map(|g| GrpcScript {
                        initial_metadata: headers(&g.initial_metadata),
                        messages: g.messages.clone(),
                        trailing_metadata: headers(&g.trailing_metadata),
                        status: g.status,
                        status_message: g.status_message.clone(),
                        delay_ms: g.delay_ms,
                    }),
                };
                (cluster.clone(), script)
            })
            .collect()
    }

    /// What a host is started with for this scenario.
    pub fn start(&self, config: pwconf_config::HostConfig, workers: usize, real_time: bool) -> Start {
        Start {
            config,
            workers,
            upstreams: self.upstream_scripts(),
            real_time,
        }
    }

    /// The steps with the names streams and connections are reported under: their own,
    /// else `http-<n>` / `tcp-<n>` in order (empty for other steps).
    pub(crate) fn named_steps(&self) -> Vec<(String, &Step)> {
        let (mut http_n, mut tcp_n) = (0, 0);
        self.steps
            .iter()
            .map(|step| {
                let name = match step {
                    Step::Http(h) => {
                        http_n += 1;
                        h.name.clone().unwrap_or_else(|| format!("http-{http_n}"))
                    }
                    Step::Tcp(t) => {
                        tcp_n += 1;
                        t.name.clone().unwrap_or_else(|| format!("tcp-{tcp_n}"))
                    }
                    _ => String::new(),
                };
                (name, step)
            })
            .collect()
    }

    /// Plays the steps on a started host and returns what it observed.
    ///
    /// # Errors
    /// The host broke, or a step named a plugin it does not have.
    pub fn play(&self, host: &mut dyn HostUnderTest) -> Result<RunReport, HostError> {
        for (name, step) in self.named_steps() {
            match step {
                Step::Http(h) => host.http(&HttpExchange {
                    name,
                    worker: h.worker,
                    request: message(&h.request),
                    response: h.response.as_ref().map(message).unwrap_or_else(|| MessageScript {
                        headers: vec![(":status".to_string(), "200".to_string())],
                        ..MessageScript::default()
                    }),
                })?,
                Step::Tcp(t) => host.tcp(&TcpScript {
                    name,
                    worker: t.worker,
                    events: t
                        .events
                        .iter()
                        .map(|e| match (&e.downstream, &e.upstream, e.close) {
                            (Some(d), _, _) => TcpEvent::Downstream {
                                data: d.clone(),
                                end: e.end,
                            },
                            (None, Some(u), _) => TcpEvent::Upstream {
                                data: u.clone(),
                                end: e.end,
                            },
                            (None, None, Some(Side::Upstream)) => TcpEvent::UpstreamClose,
                            (None, None, _) => TcpEvent::DownstreamClose,
                        })
                        .collect(),
                })?,
                Step::AdvanceTime(ms) => host.advance_time(*ms)?,
                Step::Reconfigure(r) => host.reconfigure(r)?,
                Step::ForeignFunction(f) => host.foreign_function(f)?,
            }
        }
        host.finish()
    }

    /// Starts `host`, plays the steps and checks every expectation. A configuration the
    /// host refuses is the outcome a scenario with `expect.load_error` wants (judged as a
    /// check; no step runs), and a host error for any other.
    ///
    /// # Errors
    /// The host refused a configuration the scenario expects to load, or broke.
    pub fn run(
        &self,
        host: &mut dyn HostUnderTest,
        start: &Start,
    ) -> Result<(RunReport, Vec<Check>), HostError> {
        let refused_check = |met: bool, observed: String, wanted: &str| Check {
            what: "configuration refused at load".to_string(),
            met,
            expected: format!("an error containing {wanted:?}"),
            observed,
        };
        match (host.start(start), &self.expect.load_error) {
            (Ok(()), _) => {}
            (Err(e @ HostError::Refused { .. }), Some(wanted)) => {
                let observed = e.to_string();
                let check = refused_check(observed.contains(wanted.as_str()), observed, wanted);
                return Ok((RunReport::default(), vec![check]));
            }
            (Err(e), _) => return Err(e),
        }
        let report = self.play(host)?;
        let mut checks = self.check(&report);
        if let Some(wanted) = &self.expect.load_error {
            checks.push(refused_check(false, "it loaded and ran".to_string(), wanted));
        }
        Ok((report, checks))
    }
}
