//! pwconf's wasmer backend (AOT: singlepass, serialize once, load the artifact): a binding
//! only. Host functions come from the engine-neutral table and are linked here; no
//! Proxy-Wasm logic lives in this crate.
//!
//! Limits on wasmer: fuel is the `Metering` middleware, compiled into every artifact; the
//! memory cap is a `Tunables` that clamps each memory as it is created. Tunables belong to
//! the engine, not the store, so the cap of the instance being created is handed to them
//! through a thread-local for the duration of `Instance::new` (instantiation is synchronous
//! on the calling thread). The table cap is applied the same way, and a start function is
//! run as the instance's first call (`start`), under its budget.
//!
//! One job: bind wasmer to `pwconf-backend`. Neighbours: `pwconf-backend` above (its
//! traits), `pwconf-engines` lists its `REGISTRATION`.

mod start;

use std::any::Any;
use std::cell::RefCell;
use std::ptr::NonNull;
use std::sync::Arc;

use pwconf_backend::artifact::ArtifactCache;
use pwconf_backend::binding::{FuncCache, LimitTracker, Shape, invoke_host};
use pwconf_backend::{
    Backend, BackendKind, Caller, CompiledModule, EngineConfig, ExportDesc, ExternKind, FuncRef, FuncType,
    GuestMemory, HostFunc, HostFuncs, HostTrap, ImportDesc, Instance, Limits, LinkedModule, RawInstantiate,
    RawLoop, Registration, TrapKind, Val, ValType, WasmError, artifact, check_call, testkit,
};
use wasmer::AsStoreMut;
use wasmer::sys::{BaseTunables, NativeEngineExt, Tunables};
use wasmer_middlewares::metering::{self, MeteringPoints};

/// The wasmer crate version this backend is built with (kept equal to Cargo.toml's pin).
pub const ENGINE_VERSION: &str = "7.4.2";
const NAME: &str = "wasmer";
/// Bumped whenever the middleware set or its cost function changes: artifacts depend on it.
const METERING_REVISION: u32 = 2;

/// The registry entry for this backend.
pub const REGISTRATION: Registration = Registration {
    name: NAME,
    kind: BackendKind::Aot,
    engine_version: ENGINE_VERSION,
    // Envoy's null VM runs plugins compiled ahead of time into the proxy; wasmer is
    // pwconf's ahead-of-time engine.
    envoy_runtimes: &["envoy.wasm.runtime.null"],
    create: |config| Ok(Box::new(WasmerBackend::new(config))),
    raw_baseline,
    raw_instantiate,
};

/// wasmer with the singlepass compiler, metering and a per-instance memory cap.
pub struct WasmerBackend {
    /// Every module gets a fresh engine of its own (see `compile` and `load_artifact`).
    fingerprint: String,
    cache: Option<ArtifactCache>,
}

/// Every operator costs one point.
fn operator_cost(_op: &wasmer::wasmparser::Operator) -> u64 {
    1
}

/// The points a fresh instance starts with, which is the budget of its start function
/// (the per-call budget is set before every later call).
fn start_budget() -> u64 {
    Limits::default().fuel_per_call.unwrap_or(u64::MAX)
}

fn new_engine() -> wasmer::Engine {
    use wasmer::sys::CompilerConfig;
    let mut compiler = wasmer::sys::Singlepass::new();
    compiler.push_middleware(Arc::new(wasmer_middlewares::Metering::new(
        start_budget(),
        operator_cost,
    )));
    let mut engine: wasmer::Engine = wasmer::sys::EngineBuilder::new(compiler).engine().into();
    engine.set_tunables(CappedTunables {
        base: BaseTunables::new(),
    });
    engine
}

/// An engine without a compiler, with the memory cap, for loading artifacts.
fn loading_engine() -> wasmer::Engine {
    let mut engine = wasmer::Engine::headless();
    engine.set_tunables(CappedTunables {
        base: BaseTunables::new(),
    });
    engine
}

impl WasmerBackend {
    pub fn new(config: &EngineConfig) -> WasmerBackend {
        let engine = new_engine();
        let target = engine.target();
        let fingerprint = format!(
            "wasmer {ENGINE_VERSION} singlepass metering:{METERING_REVISION} {} {:?}",
            target.triple(),
            target.cpu_features()
        );
        WasmerBackend {
            fingerprint,
            cache: config.cache_dir.as_ref().map(ArtifactCache::new),
        }
    }

    fn module_from(&self, engine: wasmer::Engine, module: wasmer::Module) -> Arc<dyn CompiledModule> {
        Arc::new(WasmerModule::new(self, engine, module))
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Backend for WasmerBackend {
    fn name(&self) -> &'static str {
        NAME
    }
    fn kind(&self) -> BackendKind {
        BackendKind::Aot
    }
    fn engine_version(&self) -> &'static str {
        ENGINE_VERSION
    }
    fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    /// Compiles, or loads the cached artifact for these exact bytes and this engine build.
    /// A cached file that does not load (corrupt, stale) is recompiled and replaced.
    fn compile(&self, wasm: &[u8]) -> Result<Arc<dyn CompiledModule>, WasmError> {
        let cached_path = self
            .cache
            .as_ref()
            .map(|c| (c, c.path_for(NAME, &self.fingerprint, wasm)));
        if let Some((cache, path)) = &cached_path
            && let Some(bytes) = cache.get(path)
            && let Ok(module) = self.load_artifact(&bytes)
        {
            return Ok(module);
        }
        // A `Metering` middleware serves exactly one module, so every compile gets an
        // engine of its own; instances of the module are created on that engine.
        let engine = new_engine();
        let hoisted = start::hoist(wasm);
        let module = wasmer::Module::new(&engine, hoisted.as_deref().unwrap_or(wasm))
            .map_err(|e| WasmError::InvalidModule(one_line(&e.to_string())))?;
        let module = self.module_from(engine, module);
        if let Some((cache, path)) = &cached_path
            && let Ok(bytes) = module.serialize()
        {
            // A cache that cannot be written only costs the next run a compile.
            let _ = cache.put(path, &bytes);
        }
        Ok(module)
    }

    fn load_artifact(&self, bytes: &[u8]) -> Result<Arc<dyn CompiledModule>, WasmError> {
        let payload = artifact::unwrap(bytes, NAME, &self.fingerprint)
            .map_err(|e| WasmError::Artifact(e.to_string()))?;
        // SAFETY: the envelope proved the payload is intact and was written by
        // `Module::serialize` of an engine with this exact fingerprint (version, compiler,
        // middleware, target, CPU features); pwconf only loads artifacts it wrote itself.
        // An engine keeps the code of every module it loaded until the engine goes away, so
        // each module gets an engine of its own (headless: loading compiles nothing) and a
        // host that loads many modules does not run out of memory mappings.
        let engine = loading_engine();
        let module = unsafe { wasmer::Module::deserialize(&engine, payload.to_vec()) }
            .map_err(|e| WasmError::Artifact(one_line(&e.to_string())))?;
        Ok(self.module_from(engine, module))
    }
}

thread_local! {
    /// The limits of the instance being created on this thread, read by [`CappedTunables`].
    static INSTANTIATING: RefCell<Option<LimitTracker>> = const { RefCell::new(None) };
}

/// Clamps every memory the engine creates to the cap of the instance being created.
struct CappedTunables {
    base: BaseTunables,
}

const PAGE: u64 = 65536;

impl CappedTunables {
    fn capped(ty: &wasmer::MemoryType) -> Result<wasmer::MemoryType, wasmer::MemoryError> {
        INSTANTIATING.with(|current| {
            let mut current = current.borrow_mut();
            let Some(limits) = current.as_mut() else {
                return Ok(*ty);
            };
            let cap_pages = (limits.max_memory_bytes() / PAGE).min(65536) as u32;
            let min_bytes = u64::from(ty.minimum.0) * PAGE;
            if !limits.memory_growing(usize::try_from(min_bytes).unwrap_or(usize::MAX)) {
                return Err(wasmer::MemoryError::MinimumMemoryTooLarge {
                    min_requested: ty.minimum,
                    max_allowed: wasmer::Pages(cap_pages),
                });
            }
            let maximum = ty.maximum.map_or(cap_pages, |m| m.0.min(cap_pages));
            Ok(wasmer::MemoryType::new(
                ty.minimum,
                Some(wasmer::Pages(maximum)),
                ty.shared,
            ))
        })
    }

    /// As [`Self::capped`], for tables: a larger initial size is refused (a memory limit,
    /// as on the other engines) and `table.grow` stops at the cap.
    fn capped_table(ty: &wasmer::TableType) -> Result<wasmer::TableType, String> {
        INSTANTIATING.with(|current| {
            let mut current = current.borrow_mut();
            let Some(limits) = current.as_mut() else {
                return Ok(*ty);
            };
            if !limits.table_growing(ty.minimum as usize) {
                return Err(format!(
                    "table of {} elements exceeds the limit of {}",
                    ty.minimum,
                    limits.max_table_elements()
                ));
            }
            let cap = u32::try_from(limits.max_table_elements()).unwrap_or(u32::MAX);
            let maximum = ty.maximum.map_or(cap, |m| m.min(cap));
            Ok(wasmer::TableType {
                maximum: Some(maximum),
                ..*ty
            })
        })
    }
}

impl Tunables for CappedTunables {
    fn memory_style(&self, memory: &wasmer::MemoryType) -> wasmer::sys::vm::MemoryStyle {
        self.base.memory_style(memory)
    }
    fn table_style(&self, table: &wasmer::TableType) -> wasmer::sys::vm::TableStyle {
        self.base.table_style(table)
    }
    fn create_host_memory(
        &self,
        ty: &wasmer::MemoryType,
        style: &wasmer::sys::vm::MemoryStyle,
    ) -> Result<wasmer::sys::vm::VMMemory, wasmer::MemoryError> {
        self.base.create_host_memory(&Self::capped(ty)?, style)
    }
    unsafe fn create_vm_memory(
        &self,
        ty: &wasmer::MemoryType,
        style: &wasmer::sys::vm::MemoryStyle,
        vm_definition_location: NonNull<wasmer::sys::vm::VMMemoryDefinition>,
    ) -> Result<wasmer::sys::vm::VMMemory, wasmer::MemoryError> {
        let ty = Self::capped(ty)?;
        // SAFETY: forwarded unchanged from the engine, which upholds the contract.
        unsafe { self.base.create_vm_memory(&ty, style, vm_definition_location) }
    }
    fn create_host_table(
        &self,
        ty: &wasmer::TableType,
        style: &wasmer::sys::vm::TableStyle,
    ) -> Result<wasmer::sys::vm::VMTable, String> {
        self.base.create_host_table(&Self::capped_table(ty)?, style)
    }
    unsafe fn create_vm_table(
        &self,
        ty: &wasmer::TableType,
        style: &wasmer::sys::vm::TableStyle,
        vm_definition_location: NonNull<wasmer::sys::vm::VMTableDefinition>,
    ) -> Result<wasmer::sys::vm::VMTable, String> {
        let ty = Self::capped_table(ty)?;
        // SAFETY: forwarded from the engine, which upholds the contract; only the maximum
        // may have been lowered, which the style does not depend on.
        unsafe { self.base.create_vm_table(&ty, style, vm_definition_location) }
    }
}

struct WasmerModule {
    engine: wasmer::Engine,
    fingerprint: String,
    module: wasmer::Module,
    imports: Vec<ImportDesc>,
    exports: Vec<ExportDesc>,
    /// The module's start function was moved to [`start::START_EXPORT`].
    has_start: bool,
}

impl WasmerModule {
    fn new(backend: &WasmerBackend, engine: wasmer::Engine, module: wasmer::Module) -> WasmerModule {
        // The metering middleware adds exports of its own; they are not the guest's.
        let exports = module
            .exports()
            .filter(|e| !e.name().starts_with("wasmer_metering_") && e.name() != start::START_EXPORT)
            .map(|e| ExportDesc {
                name: e.name().to_string(),
                kind: extern_kind(e.ty()),
            })
            .collect();
        let imports = module
            .imports()
            .map(|i| ImportDesc {
                module: i.module().to_string(),
                name: i.name().to_string(),
                kind: extern_kind(i.ty()),
            })
            .collect();
        let has_start = module.exports().any(|e| e.name() == start::START_EXPORT);
        WasmerModule {
            engine,
            fingerprint: backend.fingerprint.clone(),
            module,
            imports,
            exports,
            has_start,
        }
    }
}

fn val_type(t: &wasmer::Type) -> Option<ValType> {
    match t {
        wasmer::Type::I32 => Some(ValType::I32),
        wasmer::Type::I64 => Some(ValType::I64),
        wasmer::Type::F32 => Some(ValType::F32),
        wasmer::Type::F64 => Some(ValType::F64),
        _ => None,
    }
}

fn func_type(ty: &wasmer::FunctionType) -> Option<FuncType> {
    let params = ty.params().iter().map(val_type).collect::<Option<Vec<_>>>()?;
    let results = ty.results().iter().map(val_type).collect::<Option<Vec<_>>>()?;
    Some(FuncType { params, results })
}

fn extern_kind(ty: &wasmer::ExternType) -> ExternKind {
    match ty {
        wasmer::ExternType::Function(f) => func_type(f).map_or(ExternKind::Other, ExternKind::Func),
        wasmer::ExternType::Memory(m) => ExternKind::Memory {
            min_pages: u64::from(m.minimum.0),
            max_pages: m.maximum.map(|p| u64::from(p.0)),
        },
        wasmer::ExternType::Table(_) => ExternKind::Table,
        wasmer::ExternType::Global(_) => ExternKind::Global,
        _ => ExternKind::Other,
    }
}

fn to_wasmer_type(t: ValType) -> wasmer::Type {
    match t {
        ValType::I32 => wasmer::Type::I32,
        ValType::I64 => wasmer::Type::I64,
        ValType::F32 => wasmer::Type::F32,
        ValType::F64 => wasmer::Type::F64,
    }
}

fn to_wasmer(v: Val) -> wasmer::Value {
    match v {
        Val::I32(x) => wasmer::Value::I32(x),
        Val::I64(x) => wasmer::Value::I64(x),
        Val::F32(x) => wasmer::Value::F32(f32::from_bits(x)),
        Val::F64(x) => wasmer::Value::F64(f64::from_bits(x)),
    }
}

fn from_wasmer(v: &wasmer::Value) -> Val {
    match v {
        wasmer::Value::I32(x) => Val::I32(*x),
        wasmer::Value::I64(x) => Val::I64(*x),
        wasmer::Value::F32(x) => Val::F32(x.to_bits()),
        wasmer::Value::F64(x) => Val::F64(x.to_bits()),
        // Only numeric signatures are ever bound (see `func_type`).
        _ => Val::I32(0),
    }
}

/// An export looked up as a typed `(i32) -> i32` function (`None`: it is not one).
type TypedExport = (Box<str>, Option<wasmer::TypedFunction<i32, i32>>);

/// What host functions reach through wasmer's `FunctionEnv`.
struct Env {
    state: Box<dyn Any + Send>,
    /// The exported `memory`, resolved once per instance.
    memory: Option<wasmer::Memory>,
    /// For re-entrant calls into the guest (the allocator).
    instance: Option<wasmer::Instance>,
    /// Exports re-entered as `(i32) -> i32` (the guest allocator), resolved once: a host
    /// call that hands data to the guest must not clone the instance's export table and
    /// build its function type every time.
    typed_i32: Vec<TypedExport>,
}

struct WasmerCaller<'a> {
    env: wasmer::FunctionEnvMut<'a, Env>,
}

impl Caller for WasmerCaller<'_> {
    fn memory_and_state(&mut self) -> (Option<GuestMemory<'_>>, &mut (dyn Any + Send)) {
        let (env, store) = self.env.data_and_store_mut();
        let bytes = env.memory.as_ref().map(|memory| {
            let view = memory.view(&store);
            // SAFETY: the slice covers exactly the memory's current bytes and lives no
            // longer than this borrow of the caller. While it lives the guest cannot run
            // (re-entry needs `&mut self`), so the memory cannot grow or move under it, and
            // nothing else aliases it: the instance is single-threaded.
            unsafe { std::slice::from_raw_parts_mut(view.data_ptr(), view.data_size() as usize) }
        });
        (bytes.map(GuestMemory::new), &mut *env.state)
    }

    fn state(&mut self) -> &mut (dyn Any + Send) {
        // Without building a memory view: most hostcalls look at the state first.
        &mut *self.env.data_mut().state
    }

    fn call(&mut self, export: &str, args: &[Val], results: &mut [Val]) -> Result<(), WasmError> {
        let (env, mut store) = self.env.data_and_store_mut();
        if let ([Val::I32(arg)], [_]) = (args, &*results) {
            let cached = env
                .typed_i32
                .iter()
                .find(|(n, _)| &**n == export)
                .map(|(_, t)| t.clone());
            let typed = match cached {
                Some(typed) => typed,
                None => {
                    let typed = env
                        .instance
                        .as_ref()
                        .and_then(|i| i.exports.get_function(export).ok())
                        .and_then(|f| f.typed::<i32, i32>(&store).ok());
                    env.typed_i32.push((export.into(), typed.clone()));
                    typed
                }
            };
            if let Some(typed) = typed {
                return match typed.call(&mut store, *arg) {
                    Ok(value) => {
                        results[0] = Val::I32(value);
                        Ok(())
                    }
                    Err(e) => Err(map_error(e, env.instance.as_ref().map(|i| (&mut store, i)))),
                };
            }
        }
        let instance = env
            .instance
            .clone()
            .ok_or_else(|| WasmError::MissingExport(export.to_string()))?;
        call_export(&mut store, &instance, export, args, results)
    }
}

fn call_export(
    store: &mut impl AsStoreMut,
    instance: &wasmer::Instance,
    export: &str,
    args: &[Val],
    results: &mut [Val],
) -> Result<(), WasmError> {
    let func = instance
        .exports
        .get_function(export)
        .map_err(|_| WasmError::MissingExport(export.to_string()))?
        .clone();
    let ty = func_type(&func.ty(&*store))
        .ok_or_else(|| WasmError::BadCall(format!("{export} has a non-numeric signature")))?;
    check_call(export, &ty, args, results)?;
    call_func(store, instance, &func, args, results)
}

fn call_func(
    store: &mut impl AsStoreMut,
    instance: &wasmer::Instance,
    func: &wasmer::Function,
    args: &[Val],
    results: &mut [Val],
) -> Result<(), WasmError> {
    let wargs: Vec<wasmer::Value> = args.iter().copied().map(to_wasmer).collect();
    let out = func
        .call(store, &wargs)
        .map_err(|e| map_error(e, Some((&mut *store, instance))))?;
    for (slot, v) in results.iter_mut().zip(out.iter()) {
        *slot = from_wasmer(v);
    }
    Ok(())
}

/// Normalises a wasmer error. Metering ends a guest with a plain `unreachable` trap; with a
/// live instance its exhausted-flag tells the two apart.
fn map_error<S: AsStoreMut>(
    err: wasmer::RuntimeError,
    live: Option<(&mut S, &wasmer::Instance)>,
) -> WasmError {
    if let Some(trap) = err.downcast_ref::<HostTrap>() {
        return WasmError::trap(TrapKind::Host, trap.message.clone());
    }
    let mut message = one_line(&err.message());
    // The frames, as Envoy's host logs them with a crash (at most 20).
    let frames: Vec<String> = err
        .trace()
        .iter()
        .take(20)
        .enumerate()
        .map(|(i, f)| {
            let name = f
                .function_name()
                .map_or_else(|| format!("<wasm function {}>", f.func_index()), str::to_string);
            format!("{i}: {:#x} - {name}", f.module_offset())
        })
        .collect();
    if !frames.is_empty() {
        message = format!("{message}; wasm backtrace: {}", frames.join(", "));
    }
    let Some(code) = err.clone().to_trap() else {
        return WasmError::Engine(message);
    };
    let kind = match code {
        wasmer_types::TrapCode::HeapAccessOutOfBounds
        | wasmer_types::TrapCode::HeapMisaligned
        | wasmer_types::TrapCode::UnalignedAtomic => TrapKind::OutOfBounds,
        wasmer_types::TrapCode::TableAccessOutOfBounds => TrapKind::TableOutOfBounds,
        wasmer_types::TrapCode::StackOverflow => TrapKind::StackOverflow,
        wasmer_types::TrapCode::IntegerOverflow
        | wasmer_types::TrapCode::IntegerDivisionByZero
        | wasmer_types::TrapCode::BadConversionToInteger => TrapKind::IntegerTrap,
        wasmer_types::TrapCode::IndirectCallToNull | wasmer_types::TrapCode::BadSignature => {
            TrapKind::IndirectCall
        }
        wasmer_types::TrapCode::HostInterrupt => TrapKind::BudgetExhausted,
        wasmer_types::TrapCode::UnreachableCodeReached => {
            let exhausted = live.is_some_and(|(store, instance)| {
                matches!(
                    metering::get_remaining_points(store, instance),
                    MeteringPoints::Exhausted
                )
            });
            if exhausted {
                return WasmError::trap(
                    TrapKind::BudgetExhausted,
                    "the CPU budget (metering points) ran out",
                );
            }
            TrapKind::Unreachable
        }
        _ => TrapKind::Other,
    };
    WasmError::trap(kind, message)
}

impl CompiledModule for WasmerModule {
    fn imports(&self) -> &[ImportDesc] {
        &self.imports
    }
    fn exports(&self) -> &[ExportDesc] {
        &self.exports
    }

    fn serialize(&self) -> Result<Vec<u8>, WasmError> {
        let payload = self
            .module
            .serialize()
            .map_err(|e| WasmError::Artifact(one_line(&e.to_string())))?;
        Ok(artifact::wrap(NAME, &self.fingerprint, &payload))
    }

    fn link(&self, host: &HostFuncs) -> Result<Arc<dyn LinkedModule>, WasmError> {
        let resolved = host.resolve(&self.imports)?;
        Ok(Arc::new(WasmerLinked {
            engine: self.engine.clone(),
            module: self.module.clone(),
            funcs: resolved,
            exports: self.exports.clone(),
            has_start: self.has_start,
        }))
    }
}

/// wasmer has no pre-linked instance: host functions belong to a store, so the imports
/// are rebuilt for every instance from the resolved table.
struct WasmerLinked {
    exports: Vec<ExportDesc>,
    engine: wasmer::Engine,
    module: wasmer::Module,
    funcs: Vec<HostFunc>,
    has_start: bool,
}

impl WasmerLinked {
    fn imports(&self, store: &mut wasmer::Store, env: &wasmer::FunctionEnv<Env>) -> wasmer::Imports {
        let mut imports = wasmer::Imports::new();
        for func in &self.funcs {
            if let Some(function) = typed_function(store, env, func) {
                imports.define(&func.module, &func.name, function);
                continue;
            }
            let ty = wasmer::FunctionType::new(
                func.ty
                    .params
                    .iter()
                    .copied()
                    .map(to_wasmer_type)
                    .collect::<Vec<_>>(),
                func.ty
                    .results
                    .iter()
                    .copied()
                    .map(to_wasmer_type)
                    .collect::<Vec<_>>(),
            );
            let body = func.body.clone();
            let result_count = func.ty.results.len();
            let function = wasmer::Function::new_with_env(store, env, ty, move |env, params| {
                let mut out = Vec::with_capacity(result_count);
                invoke_host(
                    &*body,
                    &mut WasmerCaller { env },
                    params.iter(),
                    from_wasmer,
                    result_count,
                    |_, v| out.push(to_wasmer(v)),
                )
                .map_err(|trap| wasmer::RuntimeError::user(Box::new(trap)))?;
                Ok(out)
            });
            imports.define(&func.module, &func.name, function);
        }
        imports
    }
}

/// An all-`i32` host function through wasmer's typed API (no value vectors per call);
/// `None` for shapes without a typed path.
fn typed_function(
    store: &mut wasmer::Store,
    env: &wasmer::FunctionEnv<Env>,
    func: &HostFunc,
) -> Option<wasmer::Function> {
    let shape = Shape::of(&func.ty);
    macro_rules! typed {
        ($n:literal; $($a:ident)*) => {
            if shape == (Shape::I32ToI32 { params: $n }) {
                let body = func.body.clone();
                return Some(wasmer::Function::new_typed_with_env(store, env,
                    move |env: wasmer::FunctionEnvMut<Env>, $($a: i32),*| -> Result<i32, wasmer::RuntimeError> {
                        let args: [Val; $n] = [$(Val::I32($a)),*];
                        let mut out = [Val::I32(0)];
                        body(&mut WasmerCaller { env }, &args, &mut out)
                            .map_err(|trap| wasmer::RuntimeError::user(Box::new(trap)))?;
                        Ok(out[0].i32().unwrap_or(0))
                    }));
            }
            if shape == (Shape::I32ToUnit { params: $n }) {
                let body = func.body.clone();
                return Some(wasmer::Function::new_typed_with_env(store, env,
                    move |env: wasmer::FunctionEnvMut<Env>, $($a: i32),*| -> Result<(), wasmer::RuntimeError> {
                        let args: [Val; $n] = [$(Val::I32($a)),*];
                        body(&mut WasmerCaller { env }, &args, &mut [])
                            .map_err(|trap| wasmer::RuntimeError::user(Box::new(trap)))
                    }));
            }
        };
    }
    pwconf_backend::for_each_i32_arity!(typed);
    None
}

/// Clears the thread-local limits when instantiation ends, however it ends.
struct Instantiating;

impl Instantiating {
    fn begin(limits: &Limits) -> Instantiating {
        INSTANTIATING.with(|c| *c.borrow_mut() = Some(LimitTracker::new(limits)));
        Instantiating
    }
    fn limit_hit(&self) -> bool {
        INSTANTIATING.with(|c| c.borrow().as_ref().is_some_and(LimitTracker::hit))
    }
}

impl Drop for Instantiating {
    fn drop(&mut self) {
        INSTANTIATING.with(|c| *c.borrow_mut() = None);
    }
}

impl LinkedModule for WasmerLinked {
    fn exports(&self) -> &[ExportDesc] {
        &self.exports
    }

    fn instantiate(
        &self,
        state: Box<dyn Any + Send>,
        limits: &Limits,
    ) -> Result<Box<dyn Instance>, WasmError> {
        let mut store = wasmer::Store::new(self.engine.clone());
        let env = wasmer::FunctionEnv::new(
            &mut store,
            Env {
                state,
                memory: None,
                instance: None,
                typed_i32: Vec::new(),
            },
        );
        let imports = self.imports(&mut store, &env);
        let guard = Instantiating::begin(limits);
        let instance = match wasmer::Instance::new(&mut store, &self.module, &imports) {
            Ok(instance) => instance,
            Err(e) if guard.limit_hit() => return Err(WasmError::MemoryLimit(one_line(&e.to_string()))),
            Err(wasmer::InstantiationError::Start(e)) => return Err(map_error::<wasmer::Store>(e, None)),
            Err(e) => return Err(WasmError::Engine(one_line(&e.to_string()))),
        };
        drop(guard);
        let memory = instance.exports.get_memory("memory").ok().cloned();
        let data = env.as_mut(&mut store);
        data.memory = memory;
        data.instance = Some(instance.clone());
        let mut instance = WasmerInstance {
            store,
            instance,
            env,
            funcs: FuncCache::default(),
            fuel: limits.fuel_per_call,
        };
        if self.has_start {
            let start = instance
                .func(start::START_EXPORT)
                .ok_or_else(|| WasmError::MissingExport(start::START_EXPORT.to_string()))?;
            instance.call(&start, &[], &mut [])?;
        }
        Ok(Box::new(instance))
    }
}

struct WasmerInstance {
    store: wasmer::Store,
    instance: wasmer::Instance,
    env: wasmer::FunctionEnv<Env>,
    funcs: FuncCache<wasmer::Function>,
    fuel: Option<u64>,
}

impl Instance for WasmerInstance {
    fn func(&mut self, name: &str) -> Option<FuncRef> {
        let (instance, store) = (&self.instance, &self.store);
        self.funcs.resolve(name, || {
            let func = instance.exports.get_function(name).ok()?.clone();
            let ty = func_type(&func.ty(store))?;
            Some((func, ty))
        })
    }

    fn call(&mut self, func: &FuncRef, args: &[Val], results: &mut [Val]) -> Result<(), WasmError> {
        let f = self.funcs.get(func)?;
        check_call("function", &func.ty, args, results)?;
        metering::set_remaining_points(&mut self.store, &self.instance, self.fuel.unwrap_or(u64::MAX));
        call_func(&mut self.store, &self.instance, &f, args, results)
    }

    fn memory(&mut self) -> Option<&mut [u8]> {
        let memory = self.env.as_ref(&self.store).memory.clone()?;
        let view = memory.view(&self.store);
        // SAFETY: the slice covers the memory's current bytes and borrows `self` mutably,
        // so no guest code (which could grow or move the memory) runs while it lives.
        Some(unsafe { std::slice::from_raw_parts_mut(view.data_ptr(), view.data_size() as usize) })
    }

    fn state(&mut self) -> &mut (dyn Any + Send) {
        &mut *self.env.as_mut(&mut self.store).state
    }
}

/// What the raw baselines' host functions reach.
struct Raw {
    memory: Option<wasmer::Memory>,
    malloc: Option<wasmer::TypedFunction<i32, i32>>,
    pairs: Vec<(Vec<u8>, Vec<u8>)>,
    logs: Vec<(i32, String)>,
}

/// The bytes of a wasmer memory, for the raw baselines (as the binding does it).
fn raw_bytes<'a>(memory: &wasmer::Memory, store: &'a mut impl AsStoreMut) -> &'a mut [u8] {
    let view = memory.view(&*store);
    // SAFETY: as in `WasmerCaller::memory_and_state`: the slice covers the memory's current
    // bytes and is dropped before the guest runs again.
    unsafe { std::slice::from_raw_parts_mut(view.data_ptr(), view.data_size() as usize) }
}

/// A [`testkit::RawCase`] written directly against wasmer's typed API, with the same
/// engine settings and metering, as the floor for the cost of the neutral layer.
fn raw_baseline(case: testkit::RawCase) -> Result<RawLoop, WasmError> {
    use testkit::RawCase;
    fn read64(mut env: wasmer::FunctionEnvMut<Raw>, ptr: i32) -> i32 {
        let (raw, store) = env.data_and_store_mut();
        let Some(memory) = &raw.memory else { return -1 };
        let view = memory.view(&store);
        let mut buf = [0u8; 64];
        match view.read(u64::from(ptr as u32), &mut buf) {
            Ok(()) => testkit::checksum(&buf),
            Err(_) => -1,
        }
    }
    fn get_value(
        mut env: wasmer::FunctionEnvMut<Raw>,
        _map: i32,
        key_ptr: i32,
        key_len: i32,
        out_ptr: i32,
        out_len: i32,
    ) -> Result<i32, wasmer::RuntimeError> {
        let (raw, mut store) = env.data_and_store_mut();
        let (Some(memory), Some(malloc)) = (raw.memory.clone(), raw.malloc.clone()) else {
            return Ok(3);
        };
        let index = match testkit::raw_lookup(raw_bytes(&memory, &mut store), &raw.pairs, key_ptr, key_len) {
            Ok(i) => i,
            Err(status) => return Ok(status),
        };
        let at = malloc.call(&mut store, raw.pairs[index].1.len() as i32)?;
        let data = raw_bytes(&memory, &mut store);
        Ok(testkit::raw_deliver(
            data,
            &raw.pairs[index].1,
            at,
            out_ptr,
            out_len,
        ))
    }
    fn log(mut env: wasmer::FunctionEnvMut<Raw>, level: i32, ptr: i32, len: i32) -> i32 {
        let (raw, mut store) = env.data_and_store_mut();
        let Some(memory) = &raw.memory else { return 3 };
        match testkit::raw_log(raw_bytes(memory, &mut store), ptr, len) {
            Ok(message) => {
                raw.logs.push((level, message));
                0
            }
            Err(status) => status,
        }
    }
    let (wasm, export, import) = match case {
        RawCase::Read64 => (testkit::wat(testkit::PROBE_WAT), "read_loop", "read64"),
        RawCase::GetValue => (testkit::raw_hostcall_probe(), "get_value_loop", "get_value"),
        RawCase::Log => (testkit::raw_hostcall_probe(), "log_loop", "log"),
    };
    let engine = new_engine();
    let mut store = wasmer::Store::new(engine);
    let wasm = wasm.map_err(WasmError::InvalidModule)?;
    let module = wasmer::Module::new(&store, &wasm).map_err(|e| WasmError::InvalidModule(e.to_string()))?;
    let raw = Raw {
        memory: None,
        malloc: None,
        pairs: testkit::value_pairs(),
        logs: Vec::new(),
    };
    let env = wasmer::FunctionEnv::new(&mut store, raw);
    let mut imports = wasmer::Imports::new();
    let function = match case {
        RawCase::Read64 => wasmer::Function::new_typed_with_env(&mut store, &env, read64),
        RawCase::GetValue => wasmer::Function::new_typed_with_env(&mut store, &env, get_value),
        RawCase::Log => wasmer::Function::new_typed_with_env(&mut store, &env, log),
    };
    imports.define("host", import, function);
    // The probe's other imports are never called by the benchmarked loop.
    for other in module.imports() {
        if let wasmer::ExternType::Function(ty) = other.ty()
            && other.name() != import
        {
            let unused = wasmer::Function::new(&mut store, ty, |_| {
                Err(wasmer::RuntimeError::new("not part of the baseline"))
            });
            imports.define(other.module(), other.name(), unused);
        }
    }
    let instance =
        wasmer::Instance::new(&mut store, &module, &imports).map_err(|e| WasmError::Engine(e.to_string()))?;
    let malloc = instance
        .exports
        .get_typed_function::<i32, i32>(&store, "malloc")
        .ok();
    let data = env.as_mut(&mut store);
    data.memory = instance.exports.get_memory("memory").ok().cloned();
    data.malloc = malloc;
    let run = instance
        .exports
        .get_typed_function::<i32, i32>(&store, export)
        .map_err(|e| WasmError::Engine(e.to_string()))?;
    let fuel = Limits::default().fuel_per_call.unwrap_or(u64::MAX);
    Ok(Box::new(move |n| {
        env.as_mut(&mut store).logs.clear();
        metering::set_remaining_points(&mut store, &instance, fuel);
        run.call(&mut store, n)
            .map_err(|e| map_error::<wasmer::Store>(e, None))
    }))
}

/// wasmer's own bare instantiation: a fresh store, every function import a trapping stub
/// made in it, and `Instance::new`.
fn raw_instantiate(wasm: &[u8]) -> Result<RawInstantiate, WasmError> {
    let store = wasmer::Store::new(new_engine());
    let module = wasmer::Module::new(&store, wasm).map_err(|e| WasmError::InvalidModule(e.to_string()))?;
    let engine = store.engine().clone();
    let imports: Vec<(String, String, wasmer::FunctionType)> = module
        .imports()
        .filter_map(|i| match i.ty() {
            wasmer::ExternType::Function(ty) => {
                Some((i.module().to_string(), i.name().to_string(), ty.clone()))
            }
            _ => None,
        })
        .collect();
    Ok(Box::new(move || {
        let mut store = wasmer::Store::new(engine.clone());
        let mut defined = wasmer::Imports::new();
        for (module, name, ty) in &imports {
            let stub = wasmer::Function::new(&mut store, ty, |_| {
                Err(wasmer::RuntimeError::new("not part of the baseline"))
            });
            defined.define(module, name, stub);
        }
        wasmer::Instance::new(&mut store, &module, &defined).map_err(|e| WasmError::Engine(e.to_string()))?;
        Ok(())
    }))
}
