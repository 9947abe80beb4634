//! What `proxy-wasm-host` leaves to its embedder, written as a proxy would: the log sink,
//! the body buffer, and the state of one HTTP stream (its four header maps, its bodies and
//! the local reply a plugin sends).

use std::sync::{Arc, Mutex};

use proxy_wasm_host::abi::v0_2_1::types::{BufferType, LogLevel, MapType, Status, StreamType};
use proxy_wasm_host::abi::v0_2_1::{
    Access, ForeignCall, Invocation, LocalResponse, LogContext, LogSink, StreamState,
};
use proxy_wasm_host::{Buffer, HeaderMap, HeaderMapExt, NotAllowed, VecHeaderMap};
use pwconf_protocol as p;

/// Collects every line a guest logs, under the plugin (VM id) it came from.
#[derive(Default)]
pub struct Logs {
    pub lines: Mutex<Vec<p::LogLine>>,
}

/// The sink of one VM: its lines go to the shared record under the plugin's name.
pub struct Sink {
    pub logs: Arc<Logs>,
    pub plugin: String,
}

fn level_name(level: LogLevel) -> &'static str {
    match level {
        LogLevel::Trace => "trace",
        LogLevel::Debug => "debug",
        LogLevel::Info => "info",
        LogLevel::Warn => "warn",
        LogLevel::Error => "error",
        LogLevel::Critical => "critical",
    }
}

impl LogSink for Sink {
    fn log(&self, _: LogContext<'_>, level: LogLevel, message: &[u8]) {
        if let Ok(mut lines) = self.logs.lines.lock() {
            lines.push(p::LogLine {
                level: level_name(level).to_string(),
                message: String::from_utf8_lossy(message).into_owned(),
                plugin: self.plugin.clone(),
            });
        }
    }
}

/// A body as the proxy holds it: bytes the guest may read and replace.
#[derive(Default, Debug, Clone)]
pub struct Body(pub Vec<u8>);

impl Buffer for Body {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn copy_range_into(&self, start: usize, max_size: usize, out: &mut Vec<u8>) {
        let start = start.min(self.0.len());
        let end = start.saturating_add(max_size).min(self.0.len());
        out.extend_from_slice(&self.0[start..end]);
    }

    fn replace(&mut self, start: usize, size: usize, value: &[u8]) -> Result<(), NotAllowed> {
        let start = start.min(self.0.len());
        let end = start.saturating_add(size).min(self.0.len());
        self.0.splice(start..end, value.iter().copied());
        Ok(())
    }
}

/// One HTTP stream as the proxy holds it while the filter chain runs.
#[derive(Default)]
pub struct Exchange {
    pub request_headers: VecHeaderMap,
    pub request_trailers: VecHeaderMap,
    pub response_headers: VecHeaderMap,
    pub response_trailers: VecHeaderMap,
    /// The body chunk (with what a paused filter kept) the running callback sees.
    pub request_body: Body,
    pub response_body: Body,
    pub local_reply: Option<p::LocalReply>,
}

pub fn header_map(pairs: &p::Headers) -> VecHeaderMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase().into_bytes(), v.clone().into_bytes()))
        .collect()
}

pub fn headers(map: &VecHeaderMap) -> p::Headers {
    map.pairs()
        .into_iter()
        .map(|(k, v)| {
            (
                String::from_utf8_lossy(&k).into_owned(),
                String::from_utf8_lossy(&v).into_owned(),
            )
        })
        .collect()
}

impl StreamState for Exchange {
    fn header_map(&mut self, _: Invocation, _: Access, map: MapType) -> Result<&mut dyn HeaderMap, Status> {
        match map {
            MapType::HttpRequestHeaders => Ok(&mut self.request_headers),
            MapType::HttpRequestTrailers => Ok(&mut self.request_trailers),
            MapType::HttpResponseHeaders => Ok(&mut self.response_headers),
            MapType::HttpResponseTrailers => Ok(&mut self.response_trailers),
            _ => Err(Status::NotFound),
        }
    }

    fn buffer(&mut self, _: Invocation, _: Access, buffer: BufferType) -> Result<&mut dyn Buffer, Status> {
        match buffer {
            BufferType::HttpRequestBody => Ok(&mut self.request_body),
            BufferType::HttpResponseBody => Ok(&mut self.response_body),
            _ => Err(Status::NotFound),
        }
    }

    fn continue_stream(&mut self, _: Invocation, stream: StreamType) -> Result<(), Status> {
        // This embedder runs a stream to its end in one pass: a paused stream has no later
        // event to resume from, so resuming is refused rather than silently ignored.
        match stream {
            StreamType::HttpRequest | StreamType::HttpResponse => Err(Status::Unimplemented),
            _ => Err(Status::BadArgument),
        }
    }

    fn send_local_response(&mut self, _: Invocation, response: LocalResponse<'_>) -> Result<(), Status> {
        self.local_reply = Some(p::LocalReply {
            status: response.status_code,
            details: String::from_utf8_lossy(&response.status_code_details).into_owned(),
            body: p::Data(response.body.into_owned()),
            headers: response
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        String::from_utf8_lossy(k).into_owned(),
                        String::from_utf8_lossy(v).into_owned(),
                    )
                })
                .collect(),
            grpc_status: response.grpc_status,
        });
        Ok(())
    }

    fn property(&mut self, _: Invocation, _: &[&[u8]], _: &mut Vec<u8>) -> Result<(), Status> {
        // No stream properties beyond the plugin's own (which the crate answers).
        Err(Status::NotFound)
    }

    fn call_foreign_function(
        &mut self,
        _: Invocation,
        _: ForeignCall<'_>,
        _: &mut Vec<u8>,
    ) -> Result<(), Status> {
        Err(Status::NotFound)
    }
}
