//! Logs and clocks: `proxy_log`, `proxy_get_log_level`, `proxy_get_current_time_nanoseconds`.

use pwconf_abi::types::{LogLevel, Status};
use pwconf_backend::Val;

use super::{Answer, Call, params};

/// Logs a message at a level; a level above CRITICAL is `BAD_ARGUMENT`, checked before
/// memory (rule G1).
pub fn proxy_log(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (log_level, message_data, message_size): (u32, u32, u32) = params(args);
    let level = LogLevel::from_u32(log_level).ok_or(Status::BadArgument)?;
    let fault = call.memory_fault;
    let (memory, state) = call.memory_and_state()?;
    // One allocation: the message itself, decoded straight out of guest memory.
    let message = memory
        .read(message_data, message_size)
        .map_err(|_| super::Fail::Code(fault))?;
    let message = String::from_utf8_lossy(message).into_owned();
    state.log(level, message);
    Ok(())
}

/// Writes the host's current log level (rule G2).
pub fn proxy_get_log_level(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (return_log_level,): (u32,) = params(args);
    let level = call.state()?.log_level.as_u32();
    call.write_u32(return_log_level, level)
}

/// Writes the time in nanoseconds since the epoch (the scenario's virtual clock).
pub fn proxy_get_current_time_nanoseconds(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (return_time,): (u32,) = params(args);
    let now = call.state()?.now_ns;
    call.write_u64(return_time, now)
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("proxy_log", proxy_log),
    ("proxy_get_log_level", proxy_get_log_level),
    (
        "proxy_get_current_time_nanoseconds",
        proxy_get_current_time_nanoseconds,
    ),
];
