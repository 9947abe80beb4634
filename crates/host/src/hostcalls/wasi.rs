//! The WASI functions guests built for `wasm32-wasip1` import, written in the host with
//! Proxy-Wasm's semantics (ABI §2.12): stdout/stderr become log lines, the environment is
//! the plugin's configured one (never the host's), there are no arguments and no files.

use pwconf_abi::types::{LogLevel, WasiErrno};
use pwconf_backend::Val;

use super::{Answer, Call, arg, arg_i64};

/// Envoy's host caps `random_get` at 64 KiB per call.
const MAX_RANDOM: u32 = 64 * 1024;
/// WASI `rights` bit for `fd_write`.
const RIGHT_FD_WRITE: u64 = 1 << 6;

/// fd 1 and 2 become log lines at INFO / ERROR (one trailing newline stripped, empty
/// writes skipped); other fds are `BADF` (rule G3).
pub fn fd_write(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let level = match arg(args, 0) {
        1 => LogLevel::Info,
        2 => LogLevel::Error,
        _ => return Err(WasiErrno::Badf.into()),
    };
    let (iovs, count) = (arg(args, 1), arg(args, 2));
    let mut text = Vec::new();
    for i in 0..count {
        let at = iovs
            .checked_add(i.checked_mul(8).ok_or(WasiErrno::Fault)?)
            .ok_or(WasiErrno::Fault)?;
        let entry = call.read(at, 8)?;
        let ptr = u32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]]);
        let len = u32::from_le_bytes([entry[4], entry[5], entry[6], entry[7]]);
        text.extend_from_slice(&call.read(ptr, len)?);
    }
    let written = text.len() as u32;
    if text.last() == Some(&b'\n') {
        text.pop();
    }
    if !text.is_empty() {
        call.state()?
            .log(level, String::from_utf8_lossy(&text).into_owned());
    }
    call.write_u32(arg(args, 3), written)
}

/// REALTIME (0) and MONOTONIC (1) in nanoseconds; the precision is ignored.
pub fn clock_time_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let _precision = arg_i64(args, 1);
    let state = call.state()?;
    let now = match arg(args, 0) {
        0 => state.now_ns,
        1 => state.monotonic_ns,
        _ => return Err(WasiErrno::Notsup.into()),
    };
    call.write_u64(arg(args, 2), now)
}

/// 1 ns for the two clocks there are.
pub fn clock_res_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    if arg(args, 0) > 1 {
        return Err(WasiErrno::Notsup.into());
    }
    call.write_u64(arg(args, 1), 1)
}

/// Fills a buffer from a per-VM generator (deterministic, so runs repeat).
pub fn random_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (ptr, len) = (arg(args, 0), arg(args, 1));
    if len > MAX_RANDOM {
        return Err(WasiErrno::Inval.into());
    }
    if len == 0 {
        return Ok(());
    }
    let state = call.state()?;
    let mut bytes = Vec::with_capacity(len as usize);
    while bytes.len() < len as usize {
        // xorshift64*
        let mut x = state.random;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.random = x;
        bytes.extend_from_slice(&x.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    bytes.truncate(len as usize);
    call.write(ptr, &bytes)
}

fn environment(call: &mut Call<'_>) -> Result<Vec<Vec<u8>>, super::Fail> {
    Ok(call
        .state()?
        .environment
        .iter()
        .map(|(k, v)| format!("{k}={v}\0").into_bytes())
        .collect())
}

/// The number of configured environment variables and the bytes they need.
pub fn environ_sizes_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let env = environment(call)?;
    call.write_u32(arg(args, 0), env.len() as u32)?;
    call.write_u32(arg(args, 1), env.iter().map(Vec::len).sum::<usize>() as u32)
}

/// Writes `KEY=VALUE\0` strings to the buffer and their pointers to the array.
pub fn environ_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (array, mut buffer) = (arg(args, 0), arg(args, 1));
    for (i, entry) in environment(call)?.into_iter().enumerate() {
        call.write(buffer, &entry)?;
        let slot = array.checked_add(4 * i as u32).ok_or(WasiErrno::Fault)?;
        call.write_u32(slot, buffer)?;
        buffer = buffer.checked_add(entry.len() as u32).ok_or(WasiErrno::Fault)?;
    }
    Ok(())
}

/// No arguments: 0 and 0, so `args_get` is never needed.
pub fn args_sizes_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    call.write_u32(arg(args, 0), 0)?;
    call.write_u32(arg(args, 1), 0)
}

pub fn args_get(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Ok(())
}

/// Logs the exit and returns: it never ends the host (rule F6).
pub fn proc_exit(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let code = arg(args, 0);
    call.state()?
        .log(LogLevel::Error, format!("proc_exit({code}) called by the guest"));
    Ok(())
}

/// No files to read.
pub fn fd_read(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Err(WasiErrno::Nosys.into())
}

/// Nothing to close or seek; answered as success, as Envoy's host does.
pub fn fd_close(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Ok(())
}

pub fn fd_seek(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Ok(())
}

/// stdout and stderr are writable character devices; other fds do not exist.
pub fn fd_fdstat_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    if !matches!(arg(args, 0), 1 | 2) {
        return Err(WasiErrno::Badf.into());
    }
    // fdstat: filetype u8 (2 = character device), pad, flags u16, pad, rights_base u64,
    // rights_inheriting u64: 24 bytes.
    let mut fdstat = [0u8; 24];
    fdstat[0] = 2;
    fdstat[8..16].copy_from_slice(&RIGHT_FD_WRITE.to_le_bytes());
    call.write(arg(args, 1), &fdstat)
}

pub fn fd_fdstat_set_flags(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Err(WasiErrno::Nosys.into())
}

/// There are no preopened directories.
pub fn fd_prestat_get(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Err(WasiErrno::Badf.into())
}

pub fn fd_prestat_dir_name(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Err(WasiErrno::Nosys.into())
}

pub fn fd_filestat_get(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Err(WasiErrno::Badf.into())
}

pub fn path_open(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Err(WasiErrno::Noent.into())
}

/// Reports no events (the Go runtime polls at start-up).
pub fn poll_oneoff(call: &mut Call<'_>, args: &[Val]) -> Answer {
    call.write_u32(arg(args, 3), 0)
}

pub fn sched_yield(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Ok(())
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("fd_write", fd_write),
    ("clock_time_get", clock_time_get),
    ("random_get", random_get),
    ("environ_sizes_get", environ_sizes_get),
    ("environ_get", environ_get),
    ("args_sizes_get", args_sizes_get),
    ("args_get", args_get),
    ("proc_exit", proc_exit),
    ("fd_read", fd_read),
    ("fd_close", fd_close),
    ("fd_seek", fd_seek),
    ("fd_fdstat_get", fd_fdstat_get),
    ("fd_fdstat_set_flags", fd_fdstat_set_flags),
    ("fd_prestat_get", fd_prestat_get),
    ("fd_prestat_dir_name", fd_prestat_dir_name),
    ("fd_filestat_get", fd_filestat_get),
    ("path_open", path_open),
    ("clock_res_get", clock_res_get),
    ("poll_oneoff", poll_oneoff),
    ("sched_yield", sched_yield),
];
