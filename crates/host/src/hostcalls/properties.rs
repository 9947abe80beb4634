//! Properties: `proxy_get_property`, `proxy_set_property`. Paths are NUL-separated segments
//! (a trailing NUL is accepted); strings are raw bytes, integers 8 bytes little-endian, maps
//! the pair serialization, as Envoy encodes them (rule P3). The set is documented in the
//! README.

use pwconf_abi::types::Status;
use pwconf_backend::Val;

use super::{Answer, Call, params};
use crate::pairs;
use crate::state::{StreamData, VmState};

/// Splits a serialized property path into its segments.
pub fn segments(path: &[u8]) -> Vec<&[u8]> {
    let mut parts: Vec<&[u8]> = path.split(|b| *b == 0).collect();
    if parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

fn int(v: u64) -> Vec<u8> {
    v.to_le_bytes().to_vec()
}

fn header(stream: &StreamData, map: usize, name: &str) -> Option<Vec<u8>> {
    stream.maps[map]
        .as_ref()?
        .iter()
        .find(|(k, _)| k == name.as_bytes())
        .map(|(_, v)| v.clone())
}

fn request_attribute(stream: &StreamData, field: &[u8]) -> Option<Vec<u8>> {
    let path = header(stream, 0, ":path");
    match field {
        b"path" => path,
        b"url_path" => path.map(|p| p.split(|b| *b == b'?').next().unwrap_or_default().to_vec()),
        b"query" => path.map(|p| p.splitn(2, |b| *b == b'?').nth(1).unwrap_or_default().to_vec()),
        b"host" => header(stream, 0, ":authority"),
        b"scheme" => header(stream, 0, ":scheme"),
        b"method" => header(stream, 0, ":method"),
        b"id" => header(stream, 0, "x-request-id"),
        b"referer" => header(stream, 0, "referer"),
        b"useragent" => header(stream, 0, "user-agent"),
        b"protocol" => stream.maps[0].as_ref().map(|_| b"HTTP/1.1".to_vec()),
        b"headers" => stream.maps[0].as_ref().map(|m| pairs::serialize(m)),
        // Envoy: the content-length when the request has one, else the body bytes received.
        b"size" => stream.maps[0].as_ref().map(|_| {
            let length = header(stream, 0, "content-length")
                .and_then(|v| String::from_utf8_lossy(&v).trim().parse::<u64>().ok());
            int(length.unwrap_or(stream.body_bytes[0]))
        }),
        _ => None,
    }
}

fn response_attribute(stream: &StreamData, field: &[u8]) -> Option<Vec<u8>> {
    match field {
        b"code" => {
            let status = header(stream, 2, ":status")?;
            let code: u64 = String::from_utf8_lossy(&status).trim().parse().ok()?;
            Some(int(code))
        }
        b"headers" => stream.maps[2].as_ref().map(|m| pairs::serialize(m)),
        b"trailers" => stream.maps[3].as_ref().map(|m| pairs::serialize(m)),
        b"size" => stream.maps[2].as_ref().map(|_| int(stream.body_bytes[1])),
        _ => None,
    }
}

/// The value of a property for the acting context, if it has one.
pub fn lookup(state: &mut VmState, path: &[u8]) -> Option<Vec<u8>> {
    let parts = segments(path);
    if let [name] = parts.as_slice() {
        let plugin = state.acting_plugin();
        match *name {
            b"plugin_name" => return plugin.map(|p| p.name.clone().into_bytes()),
            b"plugin_root_id" => return plugin.map(|p| p.root_id.clone().into_bytes()),
            b"plugin_vm_id" => return Some(state.vm_id.clone().into_bytes()),
            _ => {}
        }
    }
    let stream = state.acting_stream()?;
    let value = match parts.as_slice() {
        // A map attribute is walked by key, as Envoy does: request.headers.<name>.
        [b"request", b"headers", name] => {
            header(stream, 0, &String::from_utf8_lossy(name).to_ascii_lowercase())
        }
        [b"response", b"headers", name] => {
            header(stream, 2, &String::from_utf8_lossy(name).to_ascii_lowercase())
        }
        [b"response", b"trailers", name] => {
            header(stream, 3, &String::from_utf8_lossy(name).to_ascii_lowercase())
        }
        [b"request", field] => request_attribute(stream, field),
        [b"response", field] => response_attribute(stream, field),
        [b"connection", b"id"] => Some(int(stream.connection.id)),
        [b"source", b"address"] => Some(stream.connection.source_address.clone().into_bytes()),
        [b"source", b"port"] => Some(int(stream.connection.source_port)),
        [b"destination", b"address"] => Some(stream.connection.destination_address.clone().into_bytes()),
        [b"destination", b"port"] => Some(int(stream.connection.destination_port)),
        _ => None,
    };
    value.or_else(|| {
        stream
            .filter_state
            .get(path.strip_suffix(&[0]).unwrap_or(path))
            .cloned()
    })
}

/// Reads a property (rule P1: an unknown path is `NOT_FOUND`).
pub fn proxy_get_property(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (path_data, path_size, return_value_data, return_value_size): (u32, u32, u32, u32) = params(args);
    let path = call.read(path_data, path_size)?;
    let value = lookup(call.state()?, &path).ok_or(Status::NotFound)?;
    call.return_bytes(&value, return_value_data, return_value_size)
}

/// Stores a value in the stream's filter state, readable back with `proxy_get_property`
/// (rule P2); without a stream (a root context) it is `NOT_FOUND`.
pub fn proxy_set_property(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (path_data, path_size, value_data, value_size): (u32, u32, u32, u32) = params(args);
    let path = call.read(path_data, path_size)?;
    let value = call.read(value_data, value_size)?;
    let stream = call.state()?.acting_stream().ok_or(Status::NotFound)?;
    let key = path.strip_suffix(&[0]).unwrap_or(&path).to_vec();
    stream.filter_state.insert(key, value);
    Ok(())
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("proxy_get_property", proxy_get_property),
    ("proxy_set_property", proxy_set_property),
];
