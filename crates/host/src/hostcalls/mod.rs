//! Every hostcall, written once against the engine-neutral [`Caller`], and the table that
//! registers them per ABI version from `spec/`. Each `proxy_*` follows the same steps as
//! Envoy's host: check enum arguments (`BAD_ARGUMENT`), read input memory
//! (`INVALID_MEMORY_ACCESS`), act on the acting context, then hand results back through the
//! guest's allocator.

mod buffers;
pub mod foreign;
mod grpc;
mod http_callouts;
mod http_fields;
mod lifecycle;
mod logging;
mod metrics;
mod properties;
mod shared_data;
mod shared_queues;
mod stream_control;
mod wasi;

use pwconf_abi::types::{Status, WasiErrno};
use pwconf_abi::{AbiVersion, Spec};
use pwconf_backend::{Caller, FuncType, HostFuncs, HostTrap, Val, ValType};

use crate::state::{Phase, VmState};
use crate::trace::TraceEvent;

/// Why a hostcall did not answer OK: a status (or WASI errno) for the guest, or a trap
/// that ends the guest's call.
#[derive(Debug)]
pub enum Fail {
    Code(u32),
    Trap(HostTrap),
}

impl From<Status> for Fail {
    fn from(s: Status) -> Fail {
        Fail::Code(s.as_u32())
    }
}

impl From<WasiErrno> for Fail {
    fn from(e: WasiErrno) -> Fail {
        Fail::Code(e.as_u32())
    }
}

impl From<HostTrap> for Fail {
    fn from(t: HostTrap) -> Fail {
        Fail::Trap(t)
    }
}

/// The answer of a hostcall: `Ok` is OK (`proxy_*`) or SUCCESS (WASI), both 0.
pub type Answer = Result<(), Fail>;

/// A hostcall's body.
pub type Impl = fn(&mut Call<'_>, &[Val]) -> Answer;

/// One hostcall invocation: the guest's instance and what the hostcall needs of it.
pub struct Call<'a> {
    caller: &'a mut dyn Caller,
    /// Which status a bad pointer answers: `INVALID_MEMORY_ACCESS` or WASI `FAULT`.
    memory_fault: u32,
}

fn state_of(state: &mut (dyn std::any::Any + Send)) -> Result<&mut VmState, HostTrap> {
    state
        .downcast_mut::<VmState>()
        .ok_or_else(|| HostTrap::new("pwconf host: the instance carries no VmState"))
}

impl Call<'_> {
    /// The VM's state.
    ///
    /// # Errors
    /// A trap if the instance was not created by the host (a programming error).
    pub fn state(&mut self) -> Result<&mut VmState, Fail> {
        Ok(state_of(self.caller.state())?)
    }

    fn fault(&self) -> Fail {
        Fail::Code(self.memory_fault)
    }

    /// Guest memory and the VM's state at once, so a hostcall can move bytes between them
    /// without an intermediate host-side copy.
    ///
    /// # Errors
    /// `INVALID_MEMORY_ACCESS` (or `FAULT`) when the guest exports no memory.
    pub fn memory_and_state(&mut self) -> Result<(pwconf_backend::GuestMemory<'_>, &mut VmState), Fail> {
        let fault = self.fault();
        let (memory, state) = self.caller.memory_and_state();
        Ok((memory.ok_or(fault)?, state_of(state)?))
    }

    /// Copies `len` bytes of guest memory at `ptr`.
    ///
    /// # Errors
    /// `INVALID_MEMORY_ACCESS` (or `FAULT`) when the range is not all in memory.
    pub fn read(&mut self, ptr: u32, len: u32) -> Result<Vec<u8>, Fail> {
        let fault = self.fault();
        let memory = self.caller.memory().ok_or(fault)?;
        memory
            .read(ptr, len)
            .map(<[u8]>::to_vec)
            .map_err(|_| self.fault())
    }

    /// Writes bytes to guest memory.
    ///
    /// # Errors
    /// `INVALID_MEMORY_ACCESS` (or `FAULT`) when the range is not all in memory.
    pub fn write(&mut self, ptr: u32, data: &[u8]) -> Result<(), Fail> {
        let fault = self.fault();
        let mut memory = self.caller.memory().ok_or(fault)?;
        memory.write(ptr, data).map_err(|_| self.fault())
    }

    pub fn write_u32(&mut self, ptr: u32, value: u32) -> Result<(), Fail> {
        self.write(ptr, &value.to_le_bytes())
    }

    pub fn write_u64(&mut self, ptr: u32, value: u64) -> Result<(), Fail> {
        self.write(ptr, &value.to_le_bytes())
    }

    /// Hands host data to the guest (ABI §5.4): empty data is ptr 0 / len 0 without calling
    /// the allocator; otherwise the guest's allocator is asked for exactly that many bytes,
    /// the data is copied there and the pointer and length are written to the out-params.
    ///
    /// # Errors
    /// `INVALID_MEMORY_ACCESS` when there is no allocator, it returns 0 or an out-of-range
    /// pointer, or an out-param is out of range; a trap when the allocator traps.
    pub fn return_bytes(&mut self, data: &[u8], ptr_out: u32, len_out: u32) -> Answer {
        if data.is_empty() {
            self.write_u32(ptr_out, 0)?;
            return self.write_u32(len_out, 0);
        }
        let len = u32::try_from(data.len()).map_err(|_| Status::InvalidMemoryAccess)?;
        let ptr = self.allocate(len)?;
        self.write(ptr, data)?;
        self.write_u32(ptr_out, ptr)?;
        self.write_u32(len_out, len)
    }

    /// Calls the guest's allocator with the allocator-only hostcall set in force (rule M5).
    fn allocate(&mut self, len: u32) -> Result<u32, Fail> {
        let state = self.state()?;
        let Some(allocator) = state.allocator else {
            return Err(Status::InvalidMemoryAccess.into());
        };
        let previous = std::mem::replace(&mut state.phase, Phase::Allocator);
        let mut out = [Val::I32(0)];
        let result = self.caller.call(allocator, &[Val::I32(len as i32)], &mut out);
        self.state()?.phase = previous;
        if let Err(e) = result {
            // An allocator that traps fails the VM (rule F5).
            return Err(HostTrap::new(format!("the guest allocator {allocator} failed: {e}")).into());
        }
        match out[0].u32() {
            0 => Err(Status::InvalidMemoryAccess.into()),
            ptr => Ok(ptr),
        }
    }
}

/// Reads argument `i` as an unsigned 32-bit value (pointers, sizes, enums).
pub fn arg(args: &[Val], i: usize) -> u32 {
    args.get(i).map_or(0, Val::u32)
}

/// Reads argument `i` as an `i64`.
pub fn arg_i64(args: &[Val], i: usize) -> i64 {
    args.get(i).and_then(Val::i64).unwrap_or(0)
}

/// Every implemented hostcall by ABI name. A `spec/` hostcall missing here answers
/// `UNIMPLEMENTED` (WASI: `NOSYS`), as Envoy's host does for what its embedder lacks.
const IMPLS: &[(&str, Impl)] = &[
    ("proxy_done", lifecycle::proxy_done),
    (
        "proxy_set_effective_context",
        lifecycle::proxy_set_effective_context,
    ),
    ("proxy_get_configuration", buffers::proxy_get_configuration),
    ("proxy_log", logging::proxy_log),
    ("proxy_get_log_level", logging::proxy_get_log_level),
    (
        "proxy_get_current_time_nanoseconds",
        logging::proxy_get_current_time_nanoseconds,
    ),
    (
        "proxy_set_tick_period_milliseconds",
        lifecycle::proxy_set_tick_period_milliseconds,
    ),
    ("proxy_get_buffer_bytes", buffers::proxy_get_buffer_bytes),
    ("proxy_set_buffer_bytes", buffers::proxy_set_buffer_bytes),
    ("proxy_get_buffer_status", buffers::proxy_get_buffer_status),
    (
        "proxy_get_header_map_size",
        http_fields::proxy_get_header_map_size,
    ),
    (
        "proxy_get_header_map_pairs",
        http_fields::proxy_get_header_map_pairs,
    ),
    (
        "proxy_set_header_map_pairs",
        http_fields::proxy_set_header_map_pairs,
    ),
    (
        "proxy_get_header_map_value",
        http_fields::proxy_get_header_map_value,
    ),
    (
        "proxy_add_header_map_value",
        http_fields::proxy_add_header_map_value,
    ),
    (
        "proxy_replace_header_map_value",
        http_fields::proxy_replace_header_map_value,
    ),
    (
        "proxy_remove_header_map_value",
        http_fields::proxy_remove_header_map_value,
    ),
    ("proxy_continue_stream", stream_control::proxy_continue_stream),
    ("proxy_close_stream", stream_control::proxy_close_stream),
    ("proxy_continue_request", stream_control::proxy_continue_request),
    ("proxy_continue_response", stream_control::proxy_continue_response),
    ("proxy_clear_route_cache", stream_control::proxy_clear_route_cache),
    (
        "proxy_send_local_response",
        stream_control::proxy_send_local_response,
    ),
    ("proxy_get_status", stream_control::proxy_get_status),
    ("proxy_get_shared_data", shared_data::proxy_get_shared_data),
    ("proxy_set_shared_data", shared_data::proxy_set_shared_data),
    ("proxy_define_metric", metrics::proxy_define_metric),
    ("proxy_record_metric", metrics::proxy_record_metric),
    ("proxy_increment_metric", metrics::proxy_increment_metric),
    ("proxy_get_metric", metrics::proxy_get_metric),
    (
        "proxy_call_foreign_function",
        foreign::proxy_call_foreign_function,
    ),
    ("proxy_http_call", http_callouts::proxy_http_call),
    ("proxy_grpc_call", grpc::proxy_grpc_call),
    ("proxy_grpc_stream", grpc::proxy_grpc_stream),
    ("proxy_grpc_send", grpc::proxy_grpc_send),
    ("proxy_grpc_cancel", grpc::proxy_grpc_cancel),
    ("proxy_grpc_close", grpc::proxy_grpc_close),
    (
        "proxy_register_shared_queue",
        shared_queues::proxy_register_shared_queue,
    ),
    (
        "proxy_resolve_shared_queue",
        shared_queues::proxy_resolve_shared_queue,
    ),
    (
        "proxy_enqueue_shared_queue",
        shared_queues::proxy_enqueue_shared_queue,
    ),
    (
        "proxy_dequeue_shared_queue",
        shared_queues::proxy_dequeue_shared_queue,
    ),
    ("proxy_get_property", properties::proxy_get_property),
    ("proxy_set_property", properties::proxy_set_property),
    ("fd_write", wasi::fd_write),
    ("clock_time_get", wasi::clock_time_get),
    ("random_get", wasi::random_get),
    ("environ_sizes_get", wasi::environ_sizes_get),
    ("environ_get", wasi::environ_get),
    ("args_sizes_get", wasi::args_sizes_get),
    ("args_get", wasi::args_get),
    ("proc_exit", wasi::proc_exit),
    ("fd_read", wasi::fd_read),
    ("fd_close", wasi::fd_close),
    ("fd_seek", wasi::fd_seek),
    ("fd_fdstat_get", wasi::fd_fdstat_get),
    ("fd_fdstat_set_flags", wasi::fd_fdstat_set_flags),
    ("fd_prestat_get", wasi::fd_prestat_get),
    ("fd_prestat_dir_name", wasi::fd_prestat_dir_name),
    ("fd_filestat_get", wasi::fd_filestat_get),
    ("path_open", wasi::path_open),
    ("clock_res_get", wasi::clock_res_get),
    ("poll_oneoff", wasi::poll_oneoff),
    ("sched_yield", wasi::sched_yield),
];

/// The implementation of a hostcall, if pwconf has one.
pub fn implementation(name: &str) -> Option<Impl> {
    IMPLS
        .iter()
        .chain(wasi::GO_RUNTIME_IMPLS)
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
}

/// Hostcalls allowed while `_initialize` / `_start` / `main` run (rule L5).
fn allowed_at_startup(name: &str, module: &str) -> bool {
    name == "proxy_log" || module != "env"
}

/// Hostcalls allowed while the guest's allocator runs (rule M5).
fn allowed_in_allocator(name: &str) -> bool {
    matches!(name, "proxy_log" | "fd_write" | "clock_time_get" | "poll_oneoff")
}

fn unimplemented_proxy(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Err(Status::Unimplemented.into())
}

fn unimplemented_wasi(_call: &mut Call<'_>, _args: &[Val]) -> Answer {
    Err(WasiErrno::Nosys.into())
}

fn status_name(module: &str, code: u32) -> String {
    let name = if module == "env" {
        Status::from_u32(code).map(|s| s.name())
    } else {
        WasiErrno::from_u32(code).map(|e| e.name())
    };
    name.map_or_else(|| code.to_string(), str::to_string)
}

fn val_type(t: pwconf_abi::spec::WasmType) -> ValType {
    use pwconf_abi::spec::WasmType;
    match t {
        WasmType::I32 => ValType::I32,
        WasmType::I64 => ValType::I64,
        WasmType::F32 => ValType::F32,
        WasmType::F64 => ValType::F64,
    }
}

/// The host functions a module of `abi` links against: every hostcall `spec/` lists for
/// that version, under its import module and aliases, with the signature from `spec/`.
/// A module importing anything else (another version's hostcall, a made-up name) fails to
/// link with the name (rules L2, L3).
pub fn host_funcs(abi: AbiVersion) -> &'static HostFuncs {
    static TABLES: [std::sync::OnceLock<HostFuncs>; 3] = [
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
    ];
    let index = AbiVersion::ALL.iter().position(|v| *v == abi).unwrap_or(0);
    TABLES[index].get_or_init(|| build_host_funcs(abi))
}

fn build_host_funcs(abi: AbiVersion) -> HostFuncs {
    let mut funcs = HostFuncs::new();
    for hostcall in Spec::embedded().hostcalls_for(abi) {
        let module: &'static str = if hostcall.module == "env" { "env" } else { "wasi" };
        let body: Impl = implementation(&hostcall.name).unwrap_or(if module == "env" {
            unimplemented_proxy
        } else {
            unimplemented_wasi
        });
        let name: &'static str = Box::leak(hostcall.name.clone().into_boxed_str());
        let fault = if module == "env" {
            Status::InvalidMemoryAccess.as_u32()
        } else {
            WasiErrno::Fault.as_u32()
        };
        let ty = FuncType::new(
            hostcall
                .param_types(abi)
                .into_iter()
                .map(val_type)
                .collect::<Vec<_>>(),
            hostcall
                .result_types()
                .into_iter()
                .map(val_type)
                .collect::<Vec<_>>(),
        );
        let has_result = !ty.results.is_empty();
        let wrapped =
            move |caller: &mut dyn Caller, args: &[Val], results: &mut [Val]| -> Result<(), HostTrap> {
                // One look at the state before the call: the phase and whether to trace.
                let (phase, tracing) = {
                    let state = state_of(caller.state())?;
                    (state.phase, state.trace_hostcalls)
                };
                let forbidden = match phase {
                    Phase::Startup => !allowed_at_startup(name, module),
                    Phase::Allocator => !allowed_in_allocator(name),
                    Phase::Callback | Phase::Idle => false,
                };
                if forbidden {
                    let when = if phase == Phase::Startup {
                        "start-up"
                    } else {
                        "the allocator"
                    };
                    let message = format!("restricted_callback: {name} may not be called during {when}");
                    state_of(caller.state())?.abort_reason = Some(message.clone());
                    return Err(HostTrap::new(message));
                }
                let mut call = Call {
                    caller: &mut *caller,
                    memory_fault: fault,
                };
                let code = match body(&mut call, args) {
                    Ok(()) => 0,
                    Err(Fail::Code(code)) => code,
                    Err(Fail::Trap(trap)) => {
                        let state = state_of(caller.state())?;
                        state.abort_reason.get_or_insert_with(|| trap.message.clone());
                        if state.trace_hostcalls {
                            state.trace.push(TraceEvent::Hostcall {
                                name: name.to_string(),
                                args: args.iter().map(val_i64).collect(),
                                status: None,
                            });
                        }
                        return Err(trap);
                    }
                };
                if tracing {
                    state_of(caller.state())?.trace.push(TraceEvent::Hostcall {
                        name: name.to_string(),
                        args: args.iter().map(val_i64).collect(),
                        status: has_result.then(|| status_name(module, code)),
                    });
                }
                if let Some(slot) = results.first_mut() {
                    *slot = Val::I32(code as i32);
                }
                Ok(())
            };
        funcs.define(
            hostcall.module.clone(),
            hostcall.name.clone(),
            ty.clone(),
            wrapped,
        );
        for alias in &hostcall.aliases {
            funcs.define(alias.clone(), hostcall.name.clone(), ty.clone(), wrapped);
        }
    }
    funcs
}

fn val_i64(v: &Val) -> i64 {
    match v {
        Val::I32(x) => i64::from(*x as u32),
        Val::I64(x) => *x,
        Val::F32(x) => i64::from(*x),
        Val::F64(x) => *x as i64,
    }
}
