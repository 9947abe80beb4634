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
        let state = self.state()?;
        state.phase = previous;
        // The allocator is a callback too (it shows before the hostcall that made it).
        if state.record_trace {
            state.trace.push(TraceEvent::Callback {
                name: allocator.to_string(),
                args: vec![i64::from(len)],
                result: result.is_ok().then(|| i64::from(out[0].u32())),
                outcome: result.as_ref().err().map(|e| e.kind().name().to_string()),
            });
        }
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

/// One argument as a hostcall body reads it: `u32` for the spec's `i32` (pointers, sizes,
/// enums), `i64` for its `i64`.
pub trait FromVal {
    fn from_val(v: Option<&Val>) -> Self;
}

impl FromVal for u32 {
    fn from_val(v: Option<&Val>) -> u32 {
        v.map_or(0, Val::u32)
    }
}

impl FromVal for i64 {
    fn from_val(v: Option<&Val>) -> i64 {
        v.and_then(Val::i64).unwrap_or(0)
    }
}

/// A hostcall's arguments, in the order `spec/` lists its parameters, bound to the spec's
/// names: `let (key_data, key_size): (u32, u32) = params(args);`. The linker checked the
/// signature against `spec/`, so every argument is there (a missing one would read 0).
pub trait FromArgs {
    fn from_args(args: &[Val]) -> Self;
}

macro_rules! from_args {
    ($($t:ident $i:tt),+) => {
        impl<$($t: FromVal),+> FromArgs for ($($t,)+) {
            fn from_args(args: &[Val]) -> Self {
                ($($t::from_val(args.get($i)),)+)
            }
        }
    };
}
from_args!(A 0);
from_args!(A 0, B 1);
from_args!(A 0, B 1, C 2);
from_args!(A 0, B 1, C 2, D 3);
from_args!(A 0, B 1, C 2, D 3, E 4);
from_args!(A 0, B 1, C 2, D 3, E 4, F 5);
from_args!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
from_args!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
from_args!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
from_args!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
from_args!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
from_args!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

/// A hostcall's arguments by the spec's parameter names (see [`FromArgs`]).
pub fn params<T: FromArgs>(args: &[Val]) -> T {
    T::from_args(args)
}

/// Every implemented hostcall by ABI name, one table per file: a new hostcall is its body
/// and its line in its file's table. A `spec/` hostcall missing here answers
/// `UNIMPLEMENTED` (WASI: `NOSYS`), as Envoy's host does for what its embedder lacks.
const FILES: &[&[(&str, Impl)]] = &[
    lifecycle::HOSTCALLS,
    buffers::HOSTCALLS,
    logging::HOSTCALLS,
    http_fields::HOSTCALLS,
    stream_control::HOSTCALLS,
    shared_data::HOSTCALLS,
    metrics::HOSTCALLS,
    foreign::HOSTCALLS,
    http_callouts::HOSTCALLS,
    grpc::HOSTCALLS,
    shared_queues::HOSTCALLS,
    properties::HOSTCALLS,
    wasi::HOSTCALLS,
    wasi::GO_RUNTIME_IMPLS,
];

/// Every implemented hostcall's name.
pub fn implemented() -> impl Iterator<Item = &'static str> {
    FILES.iter().flat_map(|f| f.iter().map(|(n, _)| *n))
}

/// The implementation of a hostcall, if pwconf has one.
pub fn implementation(name: &str) -> Option<Impl> {
    FILES
        .iter()
        .flat_map(|f| f.iter())
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
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
    static TABLES: [std::sync::OnceLock<HostFuncs>; AbiVersion::ALL.len()] =
        [const { std::sync::OnceLock::new() }; AbiVersion::ALL.len()];
    TABLES[abi.index()].get_or_init(|| build_host_funcs(abi))
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
        // Where it may be called outside a callback, from `spec/` (rules L5, M5).
        let phases = &Spec::embedded().phases;
        let at_startup = phases.startup.allows(&hostcall.module, &hostcall.name);
        let in_allocator = phases.allocator.allows(&hostcall.module, &hostcall.name);
        let wrapped =
            move |caller: &mut dyn Caller, args: &[Val], results: &mut [Val]| -> Result<(), HostTrap> {
                // One look at the state before the call: the phase and whether to trace.
                let (phase, tracing) = {
                    let state = state_of(caller.state())?;
                    (state.phase, state.record_trace)
                };
                let forbidden = match phase {
                    Phase::Startup => !at_startup,
                    Phase::Allocator => !in_allocator,
                    Phase::Callback | Phase::Idle => false,
                };
                if forbidden {
                    let when = if phase == Phase::Startup {
                        "start-up"
                    } else {
                        "the allocator"
                    };
                    let message = format!("restricted_callback: {name} may not be called during {when}");
                    let state = state_of(caller.state())?;
                    state.abort_reason = Some(message.clone());
                    // the guest made the call, which the host refused: the trace shows it
                    if tracing {
                        state.trace.push(TraceEvent::Hostcall {
                            name: name.to_string(),
                            args: args.iter().map(val_i64).collect(),
                            status: None,
                        });
                    }
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
                        if state.record_trace {
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
