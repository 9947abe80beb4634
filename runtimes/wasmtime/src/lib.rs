//! pwconf's wasmtime backend (JIT, Cranelift): a binding only. Host functions come from the
//! engine-neutral table and are linked here; no Proxy-Wasm logic lives in this crate.
//!
//! One job: bind wasmtime to `pwconf-backend`. Neighbours: `pwconf-backend` above (its
//! traits), `pwconf-engines` lists its `REGISTRATION`.

use std::any::Any;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use pwconf_backend::binding::{FuncCache, LimitTracker, Shape, invoke_host};
use pwconf_backend::{
    Backend, BackendKind, Caller, CompiledModule, EngineConfig, ExportDesc, ExternKind, FuncRef, FuncType,
    GuestMemory, HostFunc, HostFuncs, HostTrap, ImportDesc, Instance, Limits, LinkedModule, RawInstantiate,
    RawLoop, Registration, TrapKind, Val, ValType, WasmError, artifact, check_call, testkit,
};

/// The wasmtime crate version this backend is built with (kept equal to Cargo.toml's pin).
pub const ENGINE_VERSION: &str = "48.0.8";
const NAME: &str = "wasmtime";

/// The registry entry for this backend.
pub const REGISTRATION: Registration = Registration {
    name: NAME,
    kind: BackendKind::Jit,
    engine_version: ENGINE_VERSION,
    // V8 compiles Wasm just in time, and so does wasmtime.
    envoy_runtimes: &["envoy.wasm.runtime.v8", "envoy.wasm.runtime.wasmtime"],
    create: |config| Ok(Box::new(WasmtimeBackend::new(config)?)),
    raw_baseline,
    raw_instantiate,
};

/// wasmtime with Cranelift, fuel metering on (the per-call CPU budget).
pub struct WasmtimeBackend {
    engine: wasmtime::Engine,
    fingerprint: String,
}

fn engine_config() -> wasmtime::Config {
    let mut config = wasmtime::Config::new();
    // Fuel is the budget every engine enforces; it is compiled into the code, so artifacts
    // only load into an engine with the same setting (the fingerprint covers it).
    config.consume_fuel(true);
    config
}

impl WasmtimeBackend {
    /// # Errors
    /// The engine cannot be created for this host.
    pub fn new(_config: &EngineConfig) -> Result<WasmtimeBackend, WasmError> {
        let engine = wasmtime::Engine::new(&engine_config()).map_err(engine_error)?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let fingerprint = format!(
            "wasmtime {ENGINE_VERSION} {}-{} fuel compat:{:016x}",
            std::env::consts::ARCH,
            std::env::consts::OS,
            hasher.finish()
        );
        Ok(WasmtimeBackend { engine, fingerprint })
    }
}

fn engine_error(err: wasmtime::Error) -> WasmError {
    WasmError::Engine(one_line(&format!("{err:#}")))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Backend for WasmtimeBackend {
    fn name(&self) -> &'static str {
        NAME
    }
    fn kind(&self) -> BackendKind {
        BackendKind::Jit
    }
    fn engine_version(&self) -> &'static str {
        ENGINE_VERSION
    }
    fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    fn compile(&self, wasm: &[u8]) -> Result<Arc<dyn CompiledModule>, WasmError> {
        let module = wasmtime::Module::new(&self.engine, wasm)
            .map_err(|e| WasmError::InvalidModule(one_line(&format!("{e:#}"))))?;
        Ok(Arc::new(WasmtimeModule::new(self, module)))
    }

    fn load_artifact(&self, bytes: &[u8]) -> Result<Arc<dyn CompiledModule>, WasmError> {
        let payload = artifact::unwrap(bytes, NAME, &self.fingerprint)
            .map_err(|e| WasmError::Artifact(e.to_string()))?;
        // SAFETY: the envelope proved the payload is intact and was written by
        // `Module::serialize` of an engine with this exact fingerprint (version, settings,
        // target); pwconf only loads artifacts it wrote itself.
        let module = unsafe { wasmtime::Module::deserialize(&self.engine, payload) }
            .map_err(|e| WasmError::Artifact(one_line(&format!("{e:#}"))))?;
        Ok(Arc::new(WasmtimeModule::new(self, module)))
    }
}

struct WasmtimeModule {
    engine: wasmtime::Engine,
    fingerprint: String,
    module: wasmtime::Module,
    imports: Vec<ImportDesc>,
    exports: Vec<ExportDesc>,
}

impl WasmtimeModule {
    fn new(backend: &WasmtimeBackend, module: wasmtime::Module) -> WasmtimeModule {
        let imports = module
            .imports()
            .map(|i| ImportDesc {
                module: i.module().to_string(),
                name: i.name().to_string(),
                kind: extern_kind(&i.ty()),
            })
            .collect();
        let exports = module
            .exports()
            .map(|e| ExportDesc {
                name: e.name().to_string(),
                kind: extern_kind(&e.ty()),
            })
            .collect();
        WasmtimeModule {
            engine: backend.engine.clone(),
            fingerprint: backend.fingerprint.clone(),
            module,
            imports,
            exports,
        }
    }
}

fn val_type(t: &wasmtime::ValType) -> Option<ValType> {
    match t {
        wasmtime::ValType::I32 => Some(ValType::I32),
        wasmtime::ValType::I64 => Some(ValType::I64),
        wasmtime::ValType::F32 => Some(ValType::F32),
        wasmtime::ValType::F64 => Some(ValType::F64),
        _ => None,
    }
}

fn func_type(ty: &wasmtime::FuncType) -> Option<FuncType> {
    let params = ty.params().map(|t| val_type(&t)).collect::<Option<Vec<_>>>()?;
    let results = ty.results().map(|t| val_type(&t)).collect::<Option<Vec<_>>>()?;
    Some(FuncType { params, results })
}

fn extern_kind(ty: &wasmtime::ExternType) -> ExternKind {
    match ty {
        wasmtime::ExternType::Func(f) => func_type(f).map_or(ExternKind::Other, ExternKind::Func),
        wasmtime::ExternType::Memory(m) => ExternKind::Memory {
            min_pages: m.minimum(),
            max_pages: m.maximum(),
        },
        wasmtime::ExternType::Table(_) => ExternKind::Table,
        wasmtime::ExternType::Global(_) => ExternKind::Global,
        _ => ExternKind::Other,
    }
}

fn to_wasmtime_type(t: ValType) -> wasmtime::ValType {
    match t {
        ValType::I32 => wasmtime::ValType::I32,
        ValType::I64 => wasmtime::ValType::I64,
        ValType::F32 => wasmtime::ValType::F32,
        ValType::F64 => wasmtime::ValType::F64,
    }
}

fn to_wasmtime(v: Val) -> wasmtime::Val {
    match v {
        Val::I32(x) => wasmtime::Val::I32(x),
        Val::I64(x) => wasmtime::Val::I64(x),
        Val::F32(x) => wasmtime::Val::F32(x),
        Val::F64(x) => wasmtime::Val::F64(x),
    }
}

fn from_wasmtime(v: &wasmtime::Val) -> Val {
    match v {
        wasmtime::Val::I32(x) => Val::I32(*x),
        wasmtime::Val::I64(x) => Val::I64(*x),
        wasmtime::Val::F32(x) => Val::F32(*x),
        wasmtime::Val::F64(x) => Val::F64(*x),
        // Only numeric signatures are ever bound (see `func_type`).
        _ => Val::I32(0),
    }
}

/// An export looked up as a typed `(i32) -> i32` function (`None`: it is not one).
type TypedExport = (Box<str>, Option<wasmtime::TypedFunc<i32, i32>>);

/// What a wasmtime `Store` carries: the embedder's state and what the binding needs.
struct StoreData {
    state: Box<dyn Any + Send>,
    /// The exported `memory`, resolved once per instance (a lookup per hostcall costs).
    memory: Option<wasmtime::Memory>,
    limits: LimitTracker,
    /// Exports re-entered as `(i32) -> i32` (the guest allocator), resolved once: a host
    /// call that hands data to the guest must not look up and convert types every time.
    typed_i32: Vec<TypedExport>,
}

impl wasmtime::ResourceLimiter for StoreData {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(self.limits.memory_growing(desired))
    }
    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(self.limits.table_growing(desired))
    }
}

/// The neutral view of a wasmtime `Caller` given to host functions.
struct WasmtimeCaller<'a, 'b> {
    caller: &'a mut wasmtime::Caller<'b, StoreData>,
}

impl Caller for WasmtimeCaller<'_, '_> {
    fn memory_and_state(&mut self) -> (Option<GuestMemory<'_>>, &mut (dyn Any + Send)) {
        match self.caller.data().memory {
            Some(memory) => {
                let (bytes, data) = memory.data_and_store_mut(&mut *self.caller);
                (Some(GuestMemory::new(bytes)), &mut *data.state)
            }
            None => (None, &mut *self.caller.data_mut().state),
        }
    }

    fn state(&mut self) -> &mut (dyn Any + Send) {
        // Without touching memory: most hostcalls look at the state first.
        &mut *self.caller.data_mut().state
    }

    fn call(&mut self, export: &str, args: &[Val], results: &mut [Val]) -> Result<(), WasmError> {
        if let ([Val::I32(arg)], [_]) = (args, &*results)
            && let Some(typed) = typed_i32(self.caller, export)
        {
            results[0] = Val::I32(typed.call(&mut *self.caller, *arg).map_err(map_error)?);
            return Ok(());
        }
        let func = self
            .caller
            .get_export(export)
            .and_then(wasmtime::Extern::into_func)
            .ok_or_else(|| WasmError::MissingExport(export.to_string()))?;
        let ty = func_type(&func.ty(&*self.caller))
            .ok_or_else(|| WasmError::BadCall(format!("{export} has a non-numeric signature")))?;
        check_call(export, &ty, args, results)?;
        call_func(&mut *self.caller, func, args, results)
    }
}

/// The export `name` as a typed `(i32) -> i32` function, cached per instance; `None` when
/// it is missing or has another type (the generic path then reports why).
fn typed_i32(
    caller: &mut wasmtime::Caller<'_, StoreData>,
    name: &str,
) -> Option<wasmtime::TypedFunc<i32, i32>> {
    if let Some((_, typed)) = caller.data().typed_i32.iter().find(|(n, _)| &**n == name) {
        return typed.clone();
    }
    let typed = caller
        .get_export(name)
        .and_then(wasmtime::Extern::into_func)
        .and_then(|f| f.typed::<i32, i32>(&*caller).ok());
    caller.data_mut().typed_i32.push((name.into(), typed.clone()));
    typed
}

/// Calls a wasmtime function with neutral values.
fn call_func(
    store: impl wasmtime::AsContextMut<Data = StoreData>,
    func: wasmtime::Func,
    args: &[Val],
    results: &mut [Val],
) -> Result<(), WasmError> {
    let wargs: Vec<wasmtime::Val> = args.iter().copied().map(to_wasmtime).collect();
    let mut wresults = vec![wasmtime::Val::I32(0); results.len()];
    func.call(store, &wargs, &mut wresults).map_err(map_error)?;
    for (slot, v) in results.iter_mut().zip(&wresults) {
        *slot = from_wasmtime(v);
    }
    Ok(())
}

/// Normalises a wasmtime error into pwconf's outcome taxonomy.
fn map_error(err: wasmtime::Error) -> WasmError {
    if let Some(trap) = err.downcast_ref::<HostTrap>() {
        return WasmError::trap(TrapKind::Host, trap.message.clone());
    }
    let message = one_line(&format!("{err:#}"));
    let Some(trap) = err.downcast_ref::<wasmtime::Trap>() else {
        return WasmError::Engine(message);
    };
    let kind = match trap {
        wasmtime::Trap::MemoryOutOfBounds | wasmtime::Trap::HeapMisaligned => TrapKind::OutOfBounds,
        wasmtime::Trap::TableOutOfBounds => TrapKind::TableOutOfBounds,
        wasmtime::Trap::UnreachableCodeReached => TrapKind::Unreachable,
        wasmtime::Trap::StackOverflow => TrapKind::StackOverflow,
        wasmtime::Trap::IntegerOverflow
        | wasmtime::Trap::IntegerDivisionByZero
        | wasmtime::Trap::BadConversionToInteger => TrapKind::IntegerTrap,
        wasmtime::Trap::IndirectCallToNull | wasmtime::Trap::BadSignature => TrapKind::IndirectCall,
        wasmtime::Trap::OutOfFuel | wasmtime::Trap::Interrupt => TrapKind::BudgetExhausted,
        _ => TrapKind::Other,
    };
    WasmError::trap(kind, message)
}

impl CompiledModule for WasmtimeModule {
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
            .map_err(|e| WasmError::Artifact(one_line(&format!("{e:#}"))))?;
        Ok(artifact::wrap(NAME, &self.fingerprint, &payload))
    }

    fn link(&self, host: &HostFuncs) -> Result<Arc<dyn LinkedModule>, WasmError> {
        let resolved = host.resolve(&self.imports)?;
        let mut linker = wasmtime::Linker::<StoreData>::new(&self.engine);
        for func in resolved {
            if bind_typed(&mut linker, &func)? {
                continue;
            }
            let ty = wasmtime::FuncType::new(
                &self.engine,
                func.ty.params.iter().copied().map(to_wasmtime_type),
                func.ty.results.iter().copied().map(to_wasmtime_type),
            );
            let body = func.body.clone();
            linker
                .func_new(
                    &func.module,
                    &func.name,
                    ty,
                    move |mut caller, params, results| {
                        let count = results.len();
                        invoke_host(
                            &*body,
                            &mut WasmtimeCaller { caller: &mut caller },
                            params.iter(),
                            from_wasmtime,
                            count,
                            |i, v| results[i] = to_wasmtime(v),
                        )
                        .map_err(wasmtime::Error::new)
                    },
                )
                .map_err(engine_error)?;
        }
        let pre = linker.instantiate_pre(&self.module).map_err(engine_error)?;
        Ok(Arc::new(WasmtimeLinked {
            pre,
            exports: self.exports.clone(),
        }))
    }
}

/// Binds an all-`i32` host function through wasmtime's typed API (no value boxing).
/// Returns false for shapes without a typed path.
fn bind_typed(linker: &mut wasmtime::Linker<StoreData>, func: &HostFunc) -> Result<bool, WasmError> {
    let shape = Shape::of(&func.ty);
    macro_rules! typed {
        ($n:literal; $($a:ident)*) => {
            if shape == (Shape::I32ToI32 { params: $n }) {
                let body = func.body.clone();
                linker
                    .func_wrap(&func.module, &func.name,
                        move |mut caller: wasmtime::Caller<'_, StoreData>, $($a: i32),*| -> wasmtime::Result<i32> {
                            let args: [Val; $n] = [$(Val::I32($a)),*];
                            let mut out = [Val::I32(0)];
                            body(&mut WasmtimeCaller { caller: &mut caller }, &args, &mut out)
                                .map_err(wasmtime::Error::new)?;
                            Ok(out[0].i32().unwrap_or(0))
                        })
                    .map_err(engine_error)?;
                return Ok(true);
            }
            if shape == (Shape::I32ToUnit { params: $n }) {
                let body = func.body.clone();
                linker
                    .func_wrap(&func.module, &func.name,
                        move |mut caller: wasmtime::Caller<'_, StoreData>, $($a: i32),*| -> wasmtime::Result<()> {
                            let args: [Val; $n] = [$(Val::I32($a)),*];
                            body(&mut WasmtimeCaller { caller: &mut caller }, &args, &mut [])
                                .map_err(wasmtime::Error::new)
                        })
                    .map_err(engine_error)?;
                return Ok(true);
            }
        };
    }
    pwconf_backend::for_each_i32_arity!(typed);
    Ok(false)
}

struct WasmtimeLinked {
    pre: wasmtime::InstancePre<StoreData>,
    exports: Vec<ExportDesc>,
}

fn set_fuel(store: &mut wasmtime::Store<StoreData>, fuel: Option<u64>) -> Result<(), WasmError> {
    store.set_fuel(fuel.unwrap_or(u64::MAX)).map_err(engine_error)
}

impl LinkedModule for WasmtimeLinked {
    fn exports(&self) -> &[ExportDesc] {
        &self.exports
    }

    fn instantiate(
        &self,
        state: Box<dyn Any + Send>,
        limits: &Limits,
    ) -> Result<Box<dyn Instance>, WasmError> {
        let data = StoreData {
            state,
            memory: None,
            limits: LimitTracker::new(limits),
            typed_i32: Vec::new(),
        };
        let mut store = wasmtime::Store::new(self.pre.module().engine(), data);
        store.limiter(|d| d);
        set_fuel(&mut store, limits.fuel_per_call)?;
        let instance = match self.pre.instantiate(&mut store) {
            Ok(i) => i,
            Err(e) if store.data().limits.hit() => {
                return Err(WasmError::MemoryLimit(one_line(&format!("{e:#}"))));
            }
            Err(e) => return Err(map_error(e)),
        };
        let memory = instance.get_memory(&mut store, "memory");
        store.data_mut().memory = memory;
        Ok(Box::new(WasmtimeInstance {
            store,
            instance,
            funcs: FuncCache::default(),
            fuel: limits.fuel_per_call,
        }))
    }
}

struct WasmtimeInstance {
    store: wasmtime::Store<StoreData>,
    instance: wasmtime::Instance,
    funcs: FuncCache<wasmtime::Func>,
    fuel: Option<u64>,
}

impl Instance for WasmtimeInstance {
    fn func(&mut self, name: &str) -> Option<FuncRef> {
        let (instance, store) = (&self.instance, &mut self.store);
        self.funcs.resolve(name, || {
            let func = instance.get_func(&mut *store, name)?;
            Some((func, func_type(&func.ty(&*store))?))
        })
    }

    fn call(&mut self, func: &FuncRef, args: &[Val], results: &mut [Val]) -> Result<(), WasmError> {
        let f = self.funcs.get(func)?;
        check_call("function", &func.ty, args, results)?;
        set_fuel(&mut self.store, self.fuel)?;
        call_func(&mut self.store, f, args, results)
    }

    fn memory(&mut self) -> Option<&mut [u8]> {
        let memory = self.store.data().memory?;
        Some(memory.data_mut(&mut self.store))
    }

    fn state(&mut self) -> &mut (dyn Any + Send) {
        &mut *self.store.data_mut().state
    }
}

/// What the raw baselines' store carries.
struct Raw {
    memory: Option<wasmtime::Memory>,
    malloc: Option<wasmtime::TypedFunc<i32, i32>>,
    pairs: Vec<(Vec<u8>, Vec<u8>)>,
    logs: Vec<(i32, String)>,
}

/// A [`testkit::RawCase`] written directly against wasmtime's typed API, with the same
/// engine settings and fuel, as the floor for the cost of the neutral layer.
fn raw_baseline(case: testkit::RawCase) -> Result<RawLoop, WasmError> {
    use testkit::RawCase;
    let engine = wasmtime::Engine::new(&engine_config()).map_err(engine_error)?;
    let (wasm, export) = match case {
        RawCase::Read64 => (testkit::wat(testkit::PROBE_WAT), "read_loop"),
        RawCase::GetValue => (testkit::raw_hostcall_probe(), "get_value_loop"),
        RawCase::Log => (testkit::raw_hostcall_probe(), "log_loop"),
    };
    let wasm = wasm.map_err(WasmError::InvalidModule)?;
    let module = wasmtime::Module::new(&engine, &wasm).map_err(engine_error)?;
    let mut linker = wasmtime::Linker::<Raw>::new(&engine);
    match case {
        RawCase::Read64 => linker.func_wrap(
            "host",
            "read64",
            |caller: wasmtime::Caller<'_, Raw>, ptr: i32| -> i32 {
                let Some(memory) = caller.data().memory else {
                    return -1;
                };
                let data = memory.data(&caller);
                let start = ptr as u32 as usize;
                match start.checked_add(64).and_then(|end| data.get(start..end)) {
                    Some(bytes) => {
                        let mut buf = [0u8; 64];
                        buf.copy_from_slice(bytes);
                        testkit::checksum(&buf)
                    }
                    None => -1,
                }
            },
        ),
        RawCase::GetValue => linker.func_wrap(
            "host",
            "get_value",
            |mut caller: wasmtime::Caller<'_, Raw>,
             _map: i32,
             key_ptr: i32,
             key_len: i32,
             out_ptr: i32,
             out_len: i32|
             -> wasmtime::Result<i32> {
                let (Some(memory), Some(malloc)) = (caller.data().memory, caller.data().malloc.clone())
                else {
                    return Ok(3);
                };
                let (data, raw) = memory.data_and_store_mut(&mut caller);
                let index = match testkit::raw_lookup(data, &raw.pairs, key_ptr, key_len) {
                    Ok(i) => i,
                    Err(status) => return Ok(status),
                };
                let len = raw.pairs[index].1.len() as i32;
                let at = malloc.call(&mut caller, len)?;
                let (data, raw) = memory.data_and_store_mut(&mut caller);
                Ok(testkit::raw_deliver(
                    data,
                    &raw.pairs[index].1,
                    at,
                    out_ptr,
                    out_len,
                ))
            },
        ),
        RawCase::Log => linker.func_wrap(
            "host",
            "log",
            |mut caller: wasmtime::Caller<'_, Raw>, level: i32, ptr: i32, len: i32| -> i32 {
                let Some(memory) = caller.data().memory else {
                    return 3;
                };
                let (data, raw) = memory.data_and_store_mut(&mut caller);
                match testkit::raw_log(data, ptr, len) {
                    Ok(message) => {
                        raw.logs.push((level, message));
                        0
                    }
                    Err(status) => status,
                }
            },
        ),
    }
    .map_err(engine_error)?;
    // The probe's other imports are never called by the benchmarked loop.
    linker
        .define_unknown_imports_as_traps(&module)
        .map_err(engine_error)?;
    let raw = Raw {
        memory: None,
        malloc: None,
        pairs: testkit::value_pairs(),
        logs: Vec::new(),
    };
    let mut store = wasmtime::Store::new(&engine, raw);
    let fuel = Limits::default().fuel_per_call.unwrap_or(u64::MAX);
    store.set_fuel(fuel).map_err(engine_error)?;
    let instance = linker.instantiate(&mut store, &module).map_err(engine_error)?;
    store.data_mut().memory = instance.get_memory(&mut store, "memory");
    store.data_mut().malloc = instance.get_typed_func::<i32, i32>(&mut store, "malloc").ok();
    let run = instance
        .get_typed_func::<i32, i32>(&mut store, export)
        .map_err(engine_error)?;
    Ok(Box::new(move |n| {
        store.data_mut().logs.clear();
        store.set_fuel(fuel).map_err(engine_error)?;
        run.call(&mut store, n).map_err(map_error)
    }))
}

/// wasmtime's own bare instantiation: a `Linker` resolving every import (as trapping
/// stubs) on each call and a fresh `Store`, without `InstancePre`.
fn raw_instantiate(wasm: &[u8]) -> Result<RawInstantiate, WasmError> {
    let engine = wasmtime::Engine::new(&engine_config()).map_err(engine_error)?;
    let module = wasmtime::Module::new(&engine, wasm).map_err(engine_error)?;
    let mut linker = wasmtime::Linker::<()>::new(&engine);
    linker
        .define_unknown_imports_as_traps(&module)
        .map_err(engine_error)?;
    let fuel = Limits::default().fuel_per_call.unwrap_or(u64::MAX);
    Ok(Box::new(move || {
        let mut store = wasmtime::Store::new(&engine, ());
        store.set_fuel(fuel).map_err(engine_error)?;
        linker.instantiate(&mut store, &module).map_err(map_error)?;
        Ok(())
    }))
}
