//! Stream control: `proxy_continue_stream`, `proxy_close_stream`, ABI 0.1.0's
//! `proxy_continue_request/response` and `proxy_clear_route_cache`,
//! `proxy_send_local_response`, `proxy_get_status`. Every effect is recorded on the stream
//! and applied once the current callback returns (rule H10).

use pwconf_abi::types::{Status, StreamType};
use pwconf_backend::Val;

use super::{Answer, Call, params};
use crate::pairs;
use crate::state::{ContextKind, LocalReply, StreamData, VmState};

/// The acting context's stream, if it is a stream of the given kind.
fn stream_of(state: &mut VmState, kind: ContextKind) -> Option<&mut StreamData> {
    let id = state.acting_context();
    if state.contexts.get(&id)?.kind != kind {
        return None;
    }
    state.streams.get_mut(&id)
}

fn kind_for(stream: StreamType) -> ContextKind {
    match stream {
        StreamType::HttpRequest | StreamType::HttpResponse => ContextKind::Http,
        StreamType::Downstream | StreamType::Upstream => ContextKind::Tcp,
    }
}

fn resume(call: &mut Call<'_>, stream: StreamType) -> Answer {
    // Envoy cannot resume an upstream connection that a filter paused.
    if stream == StreamType::Upstream {
        return Err(Status::Unimplemented.into());
    }
    let data = stream_of(call.state()?, kind_for(stream)).ok_or(Status::Unimplemented)?;
    data.pending.resume[stream.as_u32() as usize] = true;
    Ok(())
}

/// Resumes a paused direction after the current callback (rules H5, T5).
pub fn proxy_continue_stream(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (stream_type,): (u32,) = params(args);
    let stream = StreamType::from_u32(stream_type).ok_or(Status::BadArgument)?;
    resume(call, stream)
}

/// ABI 0.1.0 `proxy_continue_stream(HTTP_REQUEST)`.
pub fn proxy_continue_request(call: &mut Call<'_>, _args: &[Val]) -> Answer {
    resume(call, StreamType::HttpRequest)
}

/// ABI 0.1.0 `proxy_continue_stream(HTTP_RESPONSE)`.
pub fn proxy_continue_response(call: &mut Call<'_>, _args: &[Val]) -> Answer {
    resume(call, StreamType::HttpResponse)
}

/// ABI 0.1.0: drops the cached route. pwconf has no route cache to drop.
pub fn proxy_clear_route_cache(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Ok(())
}

/// Resets an HTTP stream or closes a TCP connection, after the current callback (H11, T5).
pub fn proxy_close_stream(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (stream_type,): (u32,) = params(args);
    let stream = StreamType::from_u32(stream_type).ok_or(Status::BadArgument)?;
    let data = stream_of(call.state()?, kind_for(stream)).ok_or(Status::Unimplemented)?;
    data.pending.close[stream.as_u32() as usize] = true;
    Ok(())
}

/// Answers the downstream instead of forwarding (rule H9). Malformed headers add none;
/// spaces in the details become `_` and a gRPC status outside 0..=16 sends none, as in
/// Envoy. Outside an HTTP stream it does nothing and answers OK.
pub fn proxy_send_local_response(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (
        status_code,
        status_code_details_data,
        status_code_details_size,
        body_data,
        body_size,
        serialized_headers_data,
        serialized_headers_size,
        grpc_status,
    ): (u32, u32, u32, u32, u32, u32, u32, u32) = params(args);
    let status = status_code;
    let details = call.read(status_code_details_data, status_code_details_size)?;
    let body = call.read(body_data, body_size)?;
    let headers = call.read(serialized_headers_data, serialized_headers_size)?;
    let headers = pairs::deserialize(&headers)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    if let Some(stream) = stream_of(call.state()?, ContextKind::Http) {
        stream.pending.local_reply = Some(LocalReply {
            status,
            details: String::from_utf8_lossy(&details).replace(' ', "_"),
            body,
            headers,
            grpc_status: (grpc_status <= 16).then_some(grpc_status),
        });
    }
    Ok(())
}

/// The status code and message of the callout whose callback is running (code 0 and an
/// empty message elsewhere, as Envoy's host).
pub fn proxy_get_status(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (return_status_code, return_status_message_data, return_status_message_size): (u32, u32, u32) =
        params(args);
    let (code, message) = call.state()?.callout_status.clone().unwrap_or_default();
    call.write_u32(return_status_code, code)?;
    call.return_bytes(&message, return_status_message_data, return_status_message_size)
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("proxy_continue_stream", proxy_continue_stream),
    ("proxy_close_stream", proxy_close_stream),
    ("proxy_continue_request", proxy_continue_request),
    ("proxy_continue_response", proxy_continue_response),
    ("proxy_clear_route_cache", proxy_clear_route_cache),
    ("proxy_send_local_response", proxy_send_local_response),
    ("proxy_get_status", proxy_get_status),
];
