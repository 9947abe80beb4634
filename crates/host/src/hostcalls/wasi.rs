//! The WASI functions guests built for `wasm32-wasip1` import, written in the host with
//! Proxy-Wasm's semantics (ABI §2.12): stdout/stderr become log lines, the environment is
//! the plugin's configured one (never the host's), there are no arguments and no files.

use pwconf_abi::types::{LogLevel, WasiErrno};
use pwconf_backend::Val;

use super::{Answer, Call, Impl, params};

/// Envoy's host caps `random_get` at 64 KiB per call.
const MAX_RANDOM: u32 = 64 * 1024;
/// WASI `rights` bit for `fd_write`.
const RIGHT_FD_WRITE: u64 = 1 << 6;

/// fd 1 and 2 become log lines at INFO / ERROR (one trailing newline stripped, empty
/// writes skipped); other fds are `BADF` (rule G3).
pub fn fd_write(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (fd_id, iovec, iovec_size, return_written_bytes): (u32, u32, u32, u32) = params(args);
    write_iovecs(call, fd_id, iovec, iovec_size, return_written_bytes)
}

/// `fd_write` and `fd_pwrite`: the iovecs at `iovs` joined into one log line.
fn write_iovecs(call: &mut Call<'_>, fd: u32, iovs: u32, count: u32, written_out: u32) -> Answer {
    let level = match fd {
        1 => LogLevel::Info,
        2 => LogLevel::Error,
        _ => return Err(WasiErrno::Badf.into()),
    };
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
    call.write_u32(written_out, written)
}

/// Where the monotonic clock stands when a run starts: as if the host had been up for an
/// hour, as a real proxy's steady clock has. Go's runtime refuses a monotonic clock that
/// reads 0 (`nanotime returning zero`) in `_initialize`.
const MONOTONIC_AT_START_NS: u64 = 3_600 * 1_000_000_000;

/// REALTIME (0) and MONOTONIC (1) in nanoseconds; the precision is ignored.
pub fn clock_time_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (clock_id, _precision, return_time): (u32, i64, u32) = params(args);
    let state = call.state()?;
    let now = match clock_id {
        0 => state.now_ns,
        1 => MONOTONIC_AT_START_NS + state.monotonic_ns,
        _ => return Err(WasiErrno::Notsup.into()),
    };
    call.write_u64(return_time, now)
}

/// 1 ns for the two clocks there are.
pub fn clock_res_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (id, resolution_ptr): (u32, u32) = params(args);
    if id > 1 {
        return Err(WasiErrno::Notsup.into());
    }
    call.write_u64(resolution_ptr, 1)
}

/// Fills a buffer from a per-VM generator (deterministic, so runs repeat).
pub fn random_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (buffer, buffer_size): (u32, u32) = params(args);
    if buffer_size > MAX_RANDOM {
        return Err(WasiErrno::Inval.into());
    }
    if buffer_size == 0 {
        return Ok(());
    }
    let state = call.state()?;
    let mut bytes = Vec::with_capacity(buffer_size as usize);
    while bytes.len() < buffer_size as usize {
        // xorshift64*
        let mut x = state.random;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.random = x;
        bytes.extend_from_slice(&x.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    bytes.truncate(buffer_size as usize);
    call.write(buffer, &bytes)
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
    let (return_num_elements, return_buffer_size): (u32, u32) = params(args);
    let env = environment(call)?;
    call.write_u32(return_num_elements, env.len() as u32)?;
    call.write_u32(return_buffer_size, env.iter().map(Vec::len).sum::<usize>() as u32)
}

/// Writes `KEY=VALUE\0` strings to the buffer and their pointers to the array.
pub fn environ_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (return_array, return_buffer): (u32, u32) = params(args);
    let mut buffer = return_buffer;
    for (i, entry) in environment(call)?.into_iter().enumerate() {
        call.write(buffer, &entry)?;
        let slot = return_array.checked_add(4 * i as u32).ok_or(WasiErrno::Fault)?;
        call.write_u32(slot, buffer)?;
        buffer = buffer.checked_add(entry.len() as u32).ok_or(WasiErrno::Fault)?;
    }
    Ok(())
}

/// No arguments: 0 and 0, so `args_get` is never needed.
pub fn args_sizes_get(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (return_argc, return_argv_buffer_size): (u32, u32) = params(args);
    call.write_u32(return_argc, 0)?;
    call.write_u32(return_argv_buffer_size, 0)
}

pub fn args_get(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Ok(())
}

/// Logs the exit and returns: it never ends the host (rule F6).
pub fn proc_exit(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (exit_code,): (u32,) = params(args);
    call.state()?.log(
        LogLevel::Error,
        format!("proc_exit({exit_code}) called by the guest"),
    );
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
    let (fd, buf_ptr): (u32, u32) = params(args);
    if !is_stdio(fd) {
        return Err(WasiErrno::Badf.into());
    }
    // fdstat: filetype u8 (2 = character device), pad, flags u16, pad, rights_base u64,
    // rights_inheriting u64: 24 bytes.
    let mut fdstat = [0u8; 24];
    fdstat[0] = 2;
    fdstat[8..16].copy_from_slice(&RIGHT_FD_WRITE.to_le_bytes());
    call.write(buf_ptr, &fdstat)
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
    let (_in, _out, _nsubscriptions, nevents_ptr): (u32, u32, u32, u32) = params(args);
    call.write_u32(nevents_ptr, 0)
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

// --- the rest of what Go's wasip1 port imports ----------------------------------------
// Envoy's host (proxy-wasm-cpp-host #533) added these for Go 1.24 plugins: a guest that
// uses `os` links against them. There is no file system and there are no sockets: fds 1
// and 2 are the only files, so their no-op calls succeed, and everything else answers as
// cpp-host does. Signatures are WASI preview1's (cpp-host declares `path_link` and
// `path_symlink` one parameter short; spec/wasi.yaml says so).

/// The WASI functions beyond the spec's that the host implements here, by name.
pub const GO_RUNTIME_IMPLS: &[(&str, Impl)] = &[
    ("fd_advise", fd_advise),
    ("fd_allocate", on_stdio_only),
    ("fd_datasync", on_stdio_only),
    ("fd_fdstat_set_rights", on_stdio_only),
    ("fd_filestat_set_size", on_stdio_only),
    ("fd_filestat_set_times", on_stdio_only),
    ("fd_sync", on_stdio_only),
    ("fd_pread", fd_pread),
    ("fd_pwrite", fd_pwrite),
    ("fd_readdir", fd_readdir),
    ("fd_renumber", fd_renumber),
    ("fd_tell", fd_tell),
    ("path_create_directory", not_supported),
    ("path_filestat_get", not_supported),
    ("path_filestat_set_times", not_supported),
    ("path_link", not_supported),
    ("path_readlink", path_readlink),
    ("path_remove_directory", not_supported),
    ("path_rename", not_supported),
    ("path_symlink", not_supported),
    ("path_unlink_file", not_supported),
    ("sock_accept", sock_accept),
    ("sock_recv", sock_recv),
    ("sock_send", sock_send),
    ("sock_shutdown", not_supported),
];

fn is_stdio(fd: u32) -> bool {
    matches!(fd, 1 | 2)
}

/// Advice is only a hint: accepted for any fd, as cpp-host does.
fn fd_advise(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Ok(())
}

/// `fd_allocate`, `fd_datasync`, `fd_fdstat_set_rights`, `fd_filestat_set_size`,
/// `fd_filestat_set_times`, `fd_sync`: nothing to do for stdout and stderr; other fds do
/// not exist.
fn on_stdio_only(_call: &mut Call<'_>, args: &[Val]) -> Answer {
    // Every one of these takes the fd first.
    let (fd,): (u32,) = params(args);
    if is_stdio(fd) {
        Ok(())
    } else {
        Err(WasiErrno::Badf.into())
    }
}

/// No file can be read, at an offset or otherwise.
fn fd_pread(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Err(WasiErrno::Nosys.into())
}

/// stdout and stderr have no position: a positioned write is a write.
fn fd_pwrite(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (fd, iovs, iovs_len, _offset, nwritten_ptr): (u32, u32, u32, i64, u32) = params(args);
    write_iovecs(call, fd, iovs, iovs_len, nwritten_ptr)
}

/// No fd is a directory: 0 bytes used, NOTDIR.
fn fd_readdir(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (_fd, _buf, _buf_len, _cookie, bufused_ptr): (u32, u32, u32, i64, u32) = params(args);
    call.write_u32(bufused_ptr, 0)?;
    Err(WasiErrno::Notdir.into())
}

/// stdout and stderr cannot be swapped; any other fd does not exist.
fn fd_renumber(_call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (fd, to): (u32, u32) = params(args);
    if is_stdio(fd) && is_stdio(to) {
        Err(WasiErrno::Notsup.into())
    } else {
        Err(WasiErrno::Badf.into())
    }
}

/// stdout and stderr are always at offset 0.
fn fd_tell(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (fd, offset_ptr): (u32, u32) = params(args);
    if !is_stdio(fd) {
        return Err(WasiErrno::Badf.into());
    }
    call.write_u64(offset_ptr, 0)
}

/// Paths and sockets do not exist here.
fn not_supported(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Err(WasiErrno::Notsup.into())
}

/// No link to read: 0 bytes used, NOTSUP.
fn path_readlink(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (_fd, _path, _path_len, _buf, _buf_len, bufused_ptr): (u32, u32, u32, u32, u32, u32) = params(args);
    call.write_u32(bufused_ptr, 0)?;
    Err(WasiErrno::Notsup.into())
}

/// No connection to accept: the new fd reads 0, NOTSUP.
fn sock_accept(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (_fd, _flags, fd_ptr): (u32, u32, u32) = params(args);
    call.write_u32(fd_ptr, 0)?;
    Err(WasiErrno::Notsup.into())
}

/// Nothing received: 0 bytes and no flags, NOTSUP.
fn sock_recv(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (_fd, _ri_data, _ri_data_len, _ri_flags, ro_datalen_ptr, ro_flags_ptr): (
        u32,
        u32,
        u32,
        u32,
        u32,
        u32,
    ) = params(args);
    call.write_u32(ro_datalen_ptr, 0)?;
    call.write(ro_flags_ptr, &[0, 0])?;
    Err(WasiErrno::Notsup.into())
}

/// Nothing sent: 0 bytes, NOTSUP.
fn sock_send(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (_fd, _si_data, _si_data_len, _si_flags, so_datalen_ptr): (u32, u32, u32, u32, u32) = params(args);
    call.write_u32(so_datalen_ptr, 0)?;
    Err(WasiErrno::Notsup.into())
}
