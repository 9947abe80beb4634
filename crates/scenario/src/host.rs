//! The host seam: what a proxy must do to play a scenario. The reference host implements
//! it in process (`pwconf_host::ReferenceHost`); other hosts (Envoy, MOSN, ...) implement
//! it behind the host-under-test protocol, which is why every type here is plain serde
//! data. Playing ([`crate::play`]) and judging ([`crate::check`]) only ever talk to a host
//! through this trait.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{ForeignCall, Reconfigure};
use crate::observe::RunReport;

/// A proxy that plays scenarios. One value plays one run: [`HostUnderTest::start`], then
/// the steps in scenario order, then [`HostUnderTest::finish`].
///
/// Steps are synchronous: each call returns once the host has processed the step and
/// everything it caused that is due now (callout answers due at the current time, queue
/// notifications, resumptions), so the next step sees a settled proxy. Streams a filter
/// paused stay open across steps; `finish` resets those still open. Time is virtual
/// unless [`Start::real_time`]: only `advance_time` moves it. Which engine runs a plugin
/// is the host's own business, settled when the host value is made.
pub trait HostUnderTest {
    /// Loads the configuration and starts every VM and plugin. A plugin that fails to
    /// start is not an error (it is observed, in [`RunReport::start_failures`]); only a
    /// configuration the host refuses as a whole is ([`HostError::Refused`]).
    ///
    /// # Errors
    /// [`HostError::Refused`], or [`HostError::Failed`] when the host itself broke.
    fn start(&mut self, start: &Start) -> Result<(), HostError>;

    /// One HTTP stream: the request goes through the HTTP filters and the upstream answers
    /// `exchange.response`. Returns once the stream finished or waits on a paused filter;
    /// its outcome is reported under `exchange.name`.
    ///
    /// # Errors
    /// [`HostError::Failed`] when the host broke.
    fn http(&mut self, exchange: &HttpExchange) -> Result<(), HostError>;

    /// One TCP connection through the network filters: its events in order.
    ///
    /// # Errors
    /// [`HostError::Failed`] when the host broke.
    fn tcp(&mut self, connection: &TcpScript) -> Result<(), HostError>;

    /// Moves the clock `millis` forward on every thread, firing due ticks and callout
    /// answers in time order.
    ///
    /// # Errors
    /// [`HostError::Failed`] when the host broke.
    fn advance_time(&mut self, millis: u64) -> Result<(), HostError>;

    /// Gives a plugin (by its configured name) a new plugin configuration on every thread:
    /// a new root context is created and configured, the old one shut down.
    ///
    /// # Errors
    /// [`HostError::UnknownPlugin`], or [`HostError::Failed`].
    fn reconfigure(&mut self, reconfigure: &Reconfigure) -> Result<(), HostError>;

    /// The host calls `proxy_on_foreign_function` on the named plugin's roots.
    ///
    /// # Errors
    /// [`HostError::UnknownPlugin`], or [`HostError::Failed`].
    fn foreign_function(&mut self, call: &ForeignCall) -> Result<(), HostError>;

    /// Ends the run: delivers what is pending, resets streams still open, shuts every root
    /// down (`proxy_on_done`, then `proxy_on_delete`) and returns what was observed.
    ///
    /// # Errors
    /// [`HostError::Failed`] when the host broke.
    fn finish(&mut self) -> Result<RunReport, HostError>;
}

/// What a host is started with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Start {
    /// The resolved configuration: plugins with their code, clusters.
    pub config: pwconf_config::HostConfig,
    /// Worker threads (the main thread comes on top).
    pub workers: usize,
    /// What each cluster answers to HTTP and gRPC callouts (the scenario's `upstreams`);
    /// a cluster listed here exists even if the configuration has none. Known before
    /// start, since plugins may call out from start-up.
    #[serde(default)]
    pub upstreams: BTreeMap<String, UpstreamScript>,
    /// The real clock instead of the virtual one (2026-01-01T00:00:00Z, moved only by
    /// `advance_time`).
    #[serde(default)]
    pub real_time: bool,
}

/// A header as scenarios write it (HTTP header names already lowercased).
pub type Header = (String, String);

/// One HTTP stream to play.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HttpExchange {
    /// Unique in a run: keys [`RunReport::http`].
    pub name: String,
    /// The worker that handles it; `None`: round robin.
    #[serde(default)]
    pub worker: Option<usize>,
    pub request: MessageScript,
    /// What the upstream answers.
    pub response: MessageScript,
}

/// A request or response to send.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MessageScript {
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Body chunks, each its own frame.
    #[serde(default)]
    pub body: Vec<String>,
    #[serde(default)]
    pub trailers: Option<Vec<Header>>,
    /// An HTTP/2 METADATA frame after the headers.
    #[serde(default)]
    pub metadata: Vec<Header>,
}

/// One TCP connection to play.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TcpScript {
    /// Unique in a run: keys [`RunReport::tcp`].
    pub name: String,
    #[serde(default)]
    pub worker: Option<usize>,
    pub events: Vec<TcpEvent>,
}

/// One event of a TCP connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TcpEvent {
    /// Bytes from the client (`end`: the last ones).
    Downstream {
        data: String,
        end: bool,
    },
    /// Bytes from the server.
    Upstream {
        data: String,
        end: bool,
    },
    DownstreamClose,
    UpstreamClose,
}

/// What a cluster answers to HTTP callouts (and, with `grpc`, to gRPC calls).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamScript {
    #[serde(default)]
    pub headers: Vec<Header>,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub trailers: Vec<Header>,
    /// Answer this long (milliseconds) after the call; 0: right after the step.
    #[serde(default)]
    pub delay_ms: u64,
    /// Reset the connection instead of answering.
    #[serde(default)]
    pub reset: bool,
    #[serde(default)]
    pub grpc: Option<GrpcScript>,
}

/// What a cluster answers to gRPC calls and streams.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrpcScript {
    #[serde(default)]
    pub initial_metadata: Vec<Header>,
    #[serde(default)]
    pub messages: Vec<String>,
    #[serde(default)]
    pub trailing_metadata: Vec<Header>,
    #[serde(default)]
    pub status: u32,
    #[serde(default)]
    pub status_message: String,
    #[serde(default)]
    pub delay_ms: u64,
}

/// Why a host could not start or play a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HostError {
    /// The host refused the configuration at load (no usable ABI marker, a failed link, an
    /// engine that cannot compile it): what a scenario's `expect.load_error` matches.
    #[error("{plugin}: {message}")]
    Refused { plugin: String, message: String },
    /// A step named a plugin the configuration does not have.
    #[error("no plugin named {plugin:?} in the configuration")]
    UnknownPlugin { plugin: String },
    /// The host itself broke (a thread died, an adapter lost its proxy): a host defect.
    #[error("{message}")]
    Failed { message: String },
}
