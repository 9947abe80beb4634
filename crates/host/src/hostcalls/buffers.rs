//! Buffers: `proxy_get_buffer_bytes`, `proxy_set_buffer_bytes`, `proxy_get_buffer_status`,
//! and ABI 0.1.0's `proxy_get_configuration`.

use pwconf_abi::types::{BufferType, Status};
use pwconf_backend::Val;

use super::{Answer, Call, params};
use crate::state::{Access, ConfigWindow, VmState};

/// The bytes of a buffer as the acting context may see them now.
fn readable(state: &mut VmState, buffer: BufferType) -> Result<Vec<u8>, Status> {
    match buffer {
        BufferType::HttpRequestBody
        | BufferType::HttpResponseBody
        | BufferType::DownstreamData
        | BufferType::UpstreamData => {
            let index = buffer.as_u32() as usize;
            let stream = state.acting_stream().ok_or(Status::NotFound)?;
            // Outside its callback a body reads as empty, as in Envoy.
            Ok(if stream.buffer_access[index] >= Access::Read {
                stream.buffers[index].clone()
            } else {
                Vec::new()
            })
        }
        BufferType::VmConfiguration => Ok(state.vm_configuration.to_vec()),
        BufferType::PluginConfiguration => match state.config_window {
            ConfigWindow::Plugin(i) => Ok(state
                .plugins
                .get(i)
                .map(|p| p.configuration.to_vec())
                .unwrap_or_default()),
            _ => Err(Status::NotFound),
        },
        BufferType::HttpCallResponseBody
        | BufferType::GrpcCallMessage
        | BufferType::ForeignFunctionArguments => state
            .callout_buffers
            .get(&buffer.as_u32())
            .cloned()
            .ok_or(Status::NotFound),
    }
}

/// Copies at most `max_size` bytes from `start`; a start past the end is an empty OK, and
/// the range is clipped at the end (Envoy's host, erratum 12).
pub fn proxy_get_buffer_bytes(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (buffer_id, start, max_size, return_value_data, return_value_size): (u32, u32, u32, u32, u32) =
        params(args);
    let buffer = BufferType::from_u32(buffer_id).ok_or(Status::BadArgument)?;
    let (start, max) = (start as usize, max_size as usize);
    let bytes = readable(call.state()?, buffer)?;
    let from = start.min(bytes.len());
    let to = from.saturating_add(max).min(bytes.len());
    call.return_bytes(&bytes[from..to], return_value_data, return_value_size)
}

/// Writes into a stream buffer as the spec says: prepend (`start = 0, size = 0`), append
/// (`start >= length`), or replace `size` bytes at `start`; a read-only buffer is
/// `BAD_ARGUMENT`.
pub fn proxy_set_buffer_bytes(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (buffer_id, start, size, value_data, value_size): (u32, u32, u32, u32, u32) = params(args);
    let buffer = BufferType::from_u32(buffer_id).ok_or(Status::BadArgument)?;
    let (start, size) = (start as usize, size as usize);
    let index = match buffer {
        BufferType::HttpRequestBody
        | BufferType::HttpResponseBody
        | BufferType::DownstreamData
        | BufferType::UpstreamData => buffer.as_u32() as usize,
        _ => {
            readable(call.state()?, buffer)?;
            return Err(Status::BadArgument.into());
        }
    };
    {
        let stream = call.state()?.acting_stream().ok_or(Status::NotFound)?;
        if stream.buffer_access[index] < Access::ReadWrite {
            return Err(Status::NotFound.into());
        }
    }
    let data = call.read(value_data, value_size)?;
    let stream = call.state()?.acting_stream().ok_or(Status::NotFound)?;
    let current = &mut stream.buffers[index];
    // The spec's forms: start 0 / size 0 prepends, a start at or past the end appends,
    // otherwise `size` bytes at `start` are replaced (Envoy accepts only the replace-all
    // case of the last; the spec states the general one).
    if start >= current.len() {
        current.extend_from_slice(&data);
    } else {
        let end = start.saturating_add(size).min(current.len());
        current.splice(start..end, data);
    }
    Ok(())
}

/// Writes a buffer's length and a flags word that is always 0.
pub fn proxy_get_buffer_status(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (buffer_id, return_buffer_size, return_unused): (u32, u32, u32) = params(args);
    let buffer = BufferType::from_u32(buffer_id).ok_or(Status::BadArgument)?;
    let len = readable(call.state()?, buffer)?.len() as u32;
    call.write_u32(return_buffer_size, len)?;
    call.write_u32(return_unused, 0)
}

/// ABI 0.1.0: the plugin configuration inside `proxy_on_configure`, otherwise the VM
/// configuration.
pub fn proxy_get_configuration(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (return_value_data, return_value_size): (u32, u32) = params(args);
    let state = call.state()?;
    let bytes = match state.config_window {
        ConfigWindow::Plugin(i) => state
            .plugins
            .get(i)
            .map(|p| p.configuration.to_vec())
            .unwrap_or_default(),
        _ => state.vm_configuration.to_vec(),
    };
    call.return_bytes(&bytes, return_value_data, return_value_size)
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("proxy_get_configuration", proxy_get_configuration),
    ("proxy_get_buffer_bytes", proxy_get_buffer_bytes),
    ("proxy_set_buffer_bytes", proxy_set_buffer_bytes),
    ("proxy_get_buffer_status", proxy_get_buffer_status),
];
