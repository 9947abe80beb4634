//! What `proxy-wasm-host` leaves to its embedder, written as a proxy would: the log sink,
//! the body buffer, and the state of one HTTP stream (its four header maps, its bodies, the
//! local reply a plugin sends, and its properties: the request and response attributes
//! under Envoy's names, and what the plugin sets).

use std::collections::BTreeMap;
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
    /// What the plugin stored with `proxy_set_property`, by NUL-joined path.
    pub custom_properties: BTreeMap<Vec<u8>, Vec<u8>>,
    /// False for the state root callbacks run with: a root has no stream properties.
    pub in_stream: bool,
}

/// A map as a property value: the pair serialization (count, then each key and value
/// length, then each key and value NUL-terminated), as Envoy hands out maps.
fn serialized(map: &VecHeaderMap) -> Vec<u8> {
    let pairs = map.pairs();
    let mut out = Vec::new();
    out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
    for (k, v) in &pairs {
        out.extend_from_slice(&(k.len() as u32).to_le_bytes());
        out.extend_from_slice(&(v.len() as u32).to_le_bytes());
    }
    for (k, v) in &pairs {
        out.extend_from_slice(k);
        out.push(0);
        out.extend_from_slice(v);
        out.push(0);
    }
    out
}

impl Exchange {
    /// The stream attributes a proxy knows from the exchange, under Envoy's names: the
    /// request's from its headers, the response's once it has headers.
    fn attribute(&self, path: &[&[u8]]) -> Option<Vec<u8>> {
        let value = |map: &VecHeaderMap, name: &[u8]| map.get(name).map(|v| v.into_owned());
        let request = &self.request_headers;
        let target = value(request, b":path");
        let lower = |name: &[u8]| String::from_utf8_lossy(name).to_ascii_lowercase().into_bytes();
        match path {
            [b"request", b"path"] => target,
            [b"request", b"url_path"] => {
                target.map(|t| t.split(|b| *b == b'?').next().unwrap_or_default().to_vec())
            }
            [b"request", b"query"] => {
                target.map(|t| t.splitn(2, |b| *b == b'?').nth(1).unwrap_or_default().to_vec())
            }
            [b"request", b"host"] => value(request, b":authority"),
            [b"request", b"scheme"] => value(request, b":scheme"),
            [b"request", b"method"] => value(request, b":method"),
            [b"request", b"id"] => value(request, b"x-request-id"),
            [b"request", b"referer"] => value(request, b"referer"),
            [b"request", b"useragent"] => value(request, b"user-agent"),
            [b"request", b"protocol"] => Some(b"HTTP/1.1".to_vec()),
            [b"request", b"headers"] => Some(serialized(request)),
            [b"request", b"headers", name] => value(request, &lower(name)),
            [b"response", ..] if self.response_headers.pairs().is_empty() => None,
            [b"response", b"code"] => value(&self.response_headers, b":status")
                .and_then(|s| String::from_utf8_lossy(&s).trim().parse::<u64>().ok())
                .map(|code| code.to_le_bytes().to_vec()),
            [b"response", b"headers"] => Some(serialized(&self.response_headers)),
            [b"response", b"headers", name] => value(&self.response_headers, &lower(name)),
            [b"response", b"trailers"] => Some(serialized(&self.response_trailers)),
            [b"response", b"trailers", name] => value(&self.response_trailers, &lower(name)),
            _ => None,
        }
    }
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
            // A proxy's response details are one token (Envoy: spaces become '_').
            details: String::from_utf8_lossy(&response.status_code_details).replace(' ', "_"),
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

    fn property(&mut self, _: Invocation, path: &[&[u8]], out: &mut Vec<u8>) -> Result<(), Status> {
        if !self.in_stream {
            return Err(Status::NotFound);
        }
        let value = self
            .attribute(path)
            .or_else(|| self.custom_properties.get(&path.join(&0u8)).cloned())
            .ok_or(Status::NotFound)?;
        out.extend_from_slice(&value);
        Ok(())
    }

    fn set_property(&mut self, _: Invocation, path: &[&[u8]], value: &[u8]) -> Result<(), Status> {
        if !self.in_stream {
            return Err(Status::NotFound);
        }
        self.custom_properties.insert(path.join(&0u8), value.to_vec());
        Ok(())
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
