//! gRPC callouts: `proxy_grpc_call` (unary) and `proxy_grpc_stream` open a call on behalf
//! of the acting context's root, `proxy_grpc_send` / `proxy_grpc_close` / `proxy_grpc_cancel`
//! act on it, and the upstream's scripted answer arrives later as the `proxy_on_grpc_*`
//! callbacks on that root (rule O8). Statuses follow Envoy: an unknown cluster is
//! PARSE_FAILURE, a token of the wrong kind BAD_ARGUMENT, an unknown one NOT_FOUND.

use pwconf_abi::types::Status;
use pwconf_backend::Val;

use super::{Answer, Call, Fail, params};
use crate::pairs;
use crate::state::{GrpcKind, PendingGrpc};

/// The kind a token names by its low two bits (Envoy's token spaces); `None` for a token
/// that is no gRPC token at all (an HTTP call's, say).
fn token_kind(token: u32) -> Option<GrpcKind> {
    match token & 3 {
        1 => Some(GrpcKind::Call),
        2 => Some(GrpcKind::Stream),
        _ => None,
    }
}

/// Where a call's or stream's names live in guest memory, as (data, size) pairs.
struct Names {
    upstream_name: (u32, u32),
    service_name: (u32, u32),
    method_name: (u32, u32),
    serialized_initial_metadata: (u32, u32),
}

/// Opens a call or stream: reads the four names, checks the cluster and the owning root,
/// then records it and writes its token (only on success, as Envoy's host does). A call
/// also has its message and timeout.
fn open(call: &mut Call<'_>, names: Names, unary: Option<((u32, u32), u32)>, return_id: u32) -> Answer {
    let cluster = call.read(names.upstream_name.0, names.upstream_name.1)?;
    let service = call.read(names.service_name.0, names.service_name.1)?;
    let method = call.read(names.method_name.0, names.method_name.1)?;
    let (metadata_data, metadata_size) = names.serialized_initial_metadata;
    let metadata = call.read(metadata_data, metadata_size)?;
    let (kind, message, timeout, token_out) = match unary {
        Some(((message_data, message_size), timeout)) => (
            GrpcKind::Call,
            Some(call.read(message_data, message_size)?),
            timeout,
            return_id,
        ),
        None => (GrpcKind::Stream, None, 0, return_id),
    };
    let cluster = String::from_utf8_lossy(&cluster).into_owned();
    let state = call.state()?;
    if !state.shared.has_cluster(&cluster) {
        return Err(Status::ParseFailure.into());
    }
    let root = state.acting_root();
    if root == 0 {
        return Err(Status::BadArgument.into());
    }
    let token = state.next_grpc_token(kind);
    let pending = PendingGrpc {
        root,
        kind,
        cluster,
        service,
        method,
        initial_metadata: pairs::deserialize(&metadata).unwrap_or_default(),
        sent: message.into_iter().collect(),
        timeout_ms: u64::from(timeout),
        sent_ms: state.monotonic_ns / 1_000_000,
        delivered: 0,
        local_closed: kind == GrpcKind::Call,
    };
    call.write_u32(token_out, token)?;
    call.state()?.grpc.insert(token, pending);
    Ok(())
}

pub fn proxy_grpc_call(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (
        upstream_name_data,
        upstream_name_size,
        service_name_data,
        service_name_size,
        method_name_data,
        method_name_size,
        serialized_initial_metadata_data,
        serialized_initial_metadata_size,
        message_data,
        message_size,
        timeout,
        return_call_id,
    ): (u32, u32, u32, u32, u32, u32, u32, u32, u32, u32, u32, u32) = params(args);
    let names = Names {
        upstream_name: (upstream_name_data, upstream_name_size),
        service_name: (service_name_data, service_name_size),
        method_name: (method_name_data, method_name_size),
        serialized_initial_metadata: (serialized_initial_metadata_data, serialized_initial_metadata_size),
    };
    open(
        call,
        names,
        Some(((message_data, message_size), timeout)),
        return_call_id,
    )
}

pub fn proxy_grpc_stream(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (
        upstream_name_data,
        upstream_name_size,
        service_name_data,
        service_name_size,
        method_name_data,
        method_name_size,
        serialized_initial_metadata_data,
        serialized_initial_metadata_size,
        return_stream_id,
    ): (u32, u32, u32, u32, u32, u32, u32, u32, u32) = params(args);
    let names = Names {
        upstream_name: (upstream_name_data, upstream_name_size),
        service_name: (service_name_data, service_name_size),
        method_name: (method_name_data, method_name_size),
        serialized_initial_metadata: (serialized_initial_metadata_data, serialized_initial_metadata_size),
    };
    open(call, names, None, return_stream_id)
}

/// Sends one message on a stream; `end_stream` half-closes it, after which the upstream
/// finishes (trailing metadata, close).
pub fn proxy_grpc_send(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (stream_id, message_data, message_size, end_stream): (u32, u32, u32, u32) = params(args);
    let token = stream_id;
    let message = call.read(message_data, message_size)?;
    let end_stream = end_stream != 0;
    if token_kind(token) != Some(GrpcKind::Stream) {
        return Err(Status::BadArgument.into());
    }
    let stream = call.state()?.grpc.get_mut(&token).ok_or(Status::NotFound)?;
    stream.sent.push(message);
    stream.local_closed |= end_stream;
    Ok(())
}

/// The call or stream a token names, checked as Envoy does.
fn known(call: &mut Call<'_>, token: u32) -> Result<GrpcKind, Fail> {
    let kind = token_kind(token).ok_or(Status::BadArgument)?;
    if !call.state()?.grpc.contains_key(&token) {
        return Err(Status::NotFound.into());
    }
    Ok(kind)
}

/// Cancels a call or resets a stream: nothing more is delivered for the token.
pub fn proxy_grpc_cancel(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (call_or_stream_id,): (u32,) = params(args);
    let token = call_or_stream_id;
    known(call, token)?;
    call.state()?.grpc.remove(&token);
    Ok(())
}

/// Closes a call (as cancel, in Envoy) or half-closes a stream.
pub fn proxy_grpc_close(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (call_or_stream_id,): (u32,) = params(args);
    let token = call_or_stream_id;
    let state_kind = known(call, token)?;
    let state = call.state()?;
    match state_kind {
        GrpcKind::Call => {
            state.grpc.remove(&token);
        }
        GrpcKind::Stream => {
            if let Some(stream) = state.grpc.get_mut(&token) {
                stream.local_closed = true;
            }
        }
    }
    Ok(())
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("proxy_grpc_call", proxy_grpc_call),
    ("proxy_grpc_stream", proxy_grpc_stream),
    ("proxy_grpc_send", proxy_grpc_send),
    ("proxy_grpc_cancel", proxy_grpc_cancel),
    ("proxy_grpc_close", proxy_grpc_close),
];
