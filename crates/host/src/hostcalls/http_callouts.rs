//! HTTP callouts: `proxy_http_call` sends a request to a named cluster on behalf of the
//! acting context's root; the answer arrives later as `proxy_on_http_call_response` on
//! that root (rules O1-O7). Answers are scripted per cluster by the scenario, or come
//! from the cluster's real server.

use pwconf_abi::types::Status;
use pwconf_backend::Val;

use super::{Answer, Call, params};
use crate::pairs;
use crate::state::PendingCallout;

/// Validates and records an HTTP callout, then writes its token.
pub fn proxy_http_call(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (
        upstream_name_data,
        upstream_name_size,
        serialized_headers_data,
        serialized_headers_size,
        body_data,
        body_size,
        serialized_trailers_data,
        serialized_trailers_size,
        timeout,
        return_call_id,
    ): (u32, u32, u32, u32, u32, u32, u32, u32, u32, u32) = params(args);
    let cluster = call.read(upstream_name_data, upstream_name_size)?;
    let headers = call.read(serialized_headers_data, serialized_headers_size)?;
    let body = call.read(body_data, body_size)?;
    let trailers = call.read(serialized_trailers_data, serialized_trailers_size)?;
    let token_out = return_call_id;
    // Envoy's host writes 0 first, so a bad token pointer fails before anything is sent.
    call.write_u32(token_out, 0)?;
    let cluster = String::from_utf8_lossy(&cluster).into_owned();
    let headers: Vec<pairs::Pair> = pairs::deserialize(&headers)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    let trailers = pairs::deserialize(&trailers).unwrap_or_default();
    let state = call.state()?;
    if !state.shared.has_cluster(&cluster) {
        return Err(Status::BadArgument.into());
    }
    for required in [&b":method"[..], b":path", b":authority"] {
        if !headers.iter().any(|(k, _)| k == required) {
            return Err(Status::BadArgument.into());
        }
    }
    // Envoy reads the timeout as a signed 32-bit number.
    if i32::try_from(timeout).is_err() {
        return Err(Status::BadArgument.into());
    }
    let root = state.acting_root();
    if root == 0 {
        return Err(Status::BadArgument.into());
    }
    let token = state.next_callout_token();
    let address = state.shared.real_address(&cluster);
    if let Some(address) = &address {
        let key = (state.home.0, state.home.1, token);
        let shared = state.shared.clone();
        shared.send_real_callout(key, address, &headers, body.clone(), u64::from(timeout));
    }
    state.callouts.insert(
        token,
        PendingCallout {
            root,
            cluster,
            headers,
            body,
            trailers,
            timeout_ms: u64::from(timeout),
            sent_ms: state.monotonic_ns / 1_000_000,
            real: address.is_some(),
        },
    );
    call.write_u32(token_out, token)
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[("proxy_http_call", proxy_http_call)];
