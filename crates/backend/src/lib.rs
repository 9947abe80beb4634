//! The engine-neutral seam between pwconf's host and the Wasm engines.
//!
//! A [`Backend`] compiles modules, loads precompiled artifacts, links them against a table
//! of host functions defined once ([`HostFuncs`]) and instantiates them under [`Limits`].
//! Nothing here knows about Proxy-Wasm: hostcalls are just functions over a [`Caller`] that
//! can read and write guest memory, reach the embedder's state and call back into the guest.
//! Engine types never cross this boundary; every failure is normalised into [`WasmError`]
//! with an [`OutcomeKind`] that is the same for the same guest on every engine.
//!
//! One job: the engine seam. Neighbours: the engine bindings under `runtimes/` implement
//! it, `pwconf-engines` lists them, and the host (`pwconf-host`) is handed a [`Backend`]
//! and programs against these traits only.

pub mod artifact;
pub mod benchkit;
pub mod binding;
mod error;
mod host;
pub mod memory;
pub mod testkit;
mod types;

use std::any::Any;
use std::path::PathBuf;
use std::sync::Arc;

pub use error::{LinkError, OutcomeKind, TrapKind, WasmError};
pub use host::{Caller, HostFn, HostFunc, HostFuncs, HostTrap};
pub use memory::{GuestMemory, OutOfBounds};
pub use types::{ExportDesc, ExternKind, FuncType, ImportDesc, Val, ValType};

/// How an engine turns Wasm into something it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackendKind {
    /// Compiles to native code when a module is loaded.
    Jit,
    /// Compiles ahead of time to an artifact that is loaded without compiling.
    Aot,
    /// Interprets (after a light translation).
    Interpreter,
}

impl BackendKind {
    pub fn name(&self) -> &'static str {
        match self {
            BackendKind::Jit => "jit",
            BackendKind::Aot => "aot",
            BackendKind::Interpreter => "interpreter",
        }
    }
}

/// Settings every backend is created with.
#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    /// Where compiled artifacts are cached (used by AOT backends). `None`: no cache.
    pub cache_dir: Option<PathBuf>,
}

/// Resource limits of one instance, enforced by every engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// CPU budget of each top-level call (and of instantiation, which may run a start
    /// function), in the engine's fuel units. Units differ between engines, so budgets
    /// bound run time; they do not measure it. `None`: unbounded.
    pub fuel_per_call: Option<u64>,
    /// Largest linear memory in bytes: `memory.grow` past it answers -1, and a module whose
    /// initial memory is larger fails to instantiate with [`OutcomeKind::MemoryLimit`].
    pub max_memory_bytes: u64,
    /// Largest table, in elements.
    pub max_table_elements: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // ~0.5 s of tight looping on the fastest engine: far above any real callback.
            fuel_per_call: Some(500_000_000),
            // Envoy's host caps guest memory at 1 GiB.
            max_memory_bytes: 1 << 30,
            max_table_elements: 1 << 20,
        }
    }
}

/// One Wasm engine, chosen at run time by name.
pub trait Backend: Send + Sync {
    /// The name users pick it by (`wasmtime`, `wasmer`, `wasmi`).
    fn name(&self) -> &'static str;
    fn kind(&self) -> BackendKind;
    /// The engine crate's version.
    fn engine_version(&self) -> &'static str;
    /// Identifies everything a compiled artifact depends on (engine version, settings,
    /// target); artifacts only load into a backend with the same fingerprint.
    fn fingerprint(&self) -> String;

    /// Validates and compiles a module.
    ///
    /// # Errors
    /// [`WasmError::InvalidModule`] when the engine rejects the bytes.
    fn compile(&self, wasm: &[u8]) -> Result<Arc<dyn CompiledModule>, WasmError>;

    /// Loads an artifact written by [`CompiledModule::serialize`] without compiling.
    ///
    /// # Errors
    /// [`WasmError::Artifact`] for anything that is not an intact artifact of this very
    /// engine build (another engine, another version or settings, truncated or altered
    /// bytes), and when the engine has no AOT path.
    fn load_artifact(&self, artifact: &[u8]) -> Result<Arc<dyn CompiledModule>, WasmError>;
}

/// A module compiled by one backend.
pub trait CompiledModule: Send + Sync {
    fn imports(&self) -> &[ImportDesc];
    fn exports(&self) -> &[ExportDesc];

    /// The artifact for [`Backend::load_artifact`].
    ///
    /// # Errors
    /// [`WasmError::Artifact`] when the engine has no AOT path or serialization fails.
    fn serialize(&self) -> Result<Vec<u8>, WasmError>;

    /// Resolves every import against `host`, once, so that instances are cheap.
    ///
    /// # Errors
    /// [`WasmError::Link`] naming the first import that is missing or has another signature.
    fn link(&self, host: &HostFuncs) -> Result<Arc<dyn LinkedModule>, WasmError>;
}

/// A module whose imports are resolved; instantiating it is the cheap, repeated step.
pub trait LinkedModule: Send + Sync {
    /// The module's exports (as [`CompiledModule::exports`]), so an embedder can check
    /// them once per module instead of once per instance.
    fn exports(&self) -> &[ExportDesc];

    /// Creates an instance owning `state`, which host functions reach through
    /// [`Caller::state`]. Runs the module's start function under `limits`.
    ///
    /// # Errors
    /// [`WasmError::MemoryLimit`] when its initial memory exceeds the limit; a trap in the
    /// start function.
    fn instantiate(
        &self,
        state: Box<dyn Any + Send>,
        limits: &Limits,
    ) -> Result<Box<dyn Instance>, WasmError>;
}

/// A handle on an exported function of one instance, from [`Instance::func`].
#[derive(Debug, Clone)]
pub struct FuncRef {
    /// Index into the instance's own table of resolved functions.
    pub index: usize,
    pub ty: FuncType,
}

/// A running module. Not `Send`: some engines' stores are tied to the thread that made
/// them (wasmer's is), so, as in Envoy, each thread instantiates its own copy from the
/// shared [`LinkedModule`].
pub trait Instance {
    /// Looks up an exported function.
    fn func(&mut self, name: &str) -> Option<FuncRef>;

    /// Calls a function under the per-call budget. `args` must match its parameters and
    /// `results` must have one slot per result.
    ///
    /// # Errors
    /// A trap (normalised), [`WasmError::BadCall`] when the arguments do not fit.
    fn call(&mut self, func: &FuncRef, args: &[Val], results: &mut [Val]) -> Result<(), WasmError>;

    /// The exported linear memory (`memory`), if any.
    fn memory(&mut self) -> Option<&mut [u8]>;

    /// The state given to [`LinkedModule::instantiate`].
    fn state(&mut self) -> &mut (dyn Any + Send);

    /// Looks up and calls an export by name.
    ///
    /// # Errors
    /// [`WasmError::MissingExport`], or as [`Instance::call`].
    fn call_export(&mut self, name: &str, args: &[Val], results: &mut [Val]) -> Result<(), WasmError> {
        let func = self
            .func(name)
            .ok_or_else(|| WasmError::MissingExport(name.to_string()))?;
        self.call(&func, args, results)
    }
}

/// Checks `args` and `results` against a function type before a call.
///
/// # Errors
/// [`WasmError::BadCall`] describing the first mismatch.
pub fn check_call(name: &str, ty: &FuncType, args: &[Val], results: &[Val]) -> Result<(), WasmError> {
    // Compared without collecting: this runs on every call into the guest.
    if !args.iter().map(Val::ty).eq(ty.params.iter().copied()) {
        let arg_types: Vec<ValType> = args.iter().map(Val::ty).collect();
        return Err(WasmError::BadCall(format!(
            "{name} takes {}, was given {}",
            types::list(&ty.params),
            types::list(&arg_types)
        )));
    }
    if results.len() != ty.results.len() {
        return Err(WasmError::BadCall(format!(
            "{name} returns {}, {} result slot(s) given",
            types::list(&ty.results),
            results.len()
        )));
    }
    Ok(())
}

/// How a backend is made: what the registry of engines lists.
#[derive(Clone, Copy)]
pub struct Registration {
    pub name: &'static str,
    pub kind: BackendKind,
    pub engine_version: &'static str,
    /// The Envoy runtime names (`vm_config.runtime`) this engine stands in for; its own
    /// `pwconf.<name>` and `<name>` always name it too (the README says why each maps).
    pub envoy_runtimes: &'static [&'static str],
    /// Creates the backend.
    pub create: fn(&EngineConfig) -> Result<Box<dyn Backend>, WasmError>,
    /// A benchmarked host function ([`testkit::RawCase`]) written directly on the engine's
    /// own API, with the same engine settings: the floor against which the cost of this
    /// abstraction (and of the host built on it) is measured.
    pub raw_baseline: fn(testkit::RawCase) -> Result<RawLoop, WasmError>,
    /// The engine's own bare instantiation of a module (every function import a trapping
    /// stub, a fresh store each time): the floor for a warm VM copy.
    pub raw_instantiate: fn(&[u8]) -> Result<RawInstantiate, WasmError>,
}

/// Runs a raw baseline's guest loop (`n` host calls) and returns the loop's result.
pub type RawLoop = Box<dyn FnMut(i32) -> Result<i32, WasmError>>;

/// Creates (and drops) one bare instance per call.
pub type RawInstantiate = Box<dyn FnMut() -> Result<(), WasmError>>;

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("engine_version", &self.engine_version)
            .finish()
    }
}
