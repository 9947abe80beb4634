//! pwconf's wasmi backend (interpreter): a binding only. Host functions come from the
//! engine-neutral table and are linked here; no Proxy-Wasm logic lives in this crate.
//!
//! wasmi has no native code to cache, so its "artifact" is the validated module itself in
//! pwconf's envelope: loading it re-translates lazily (about a millisecond per 100 KB),
//! which keeps the artifact path uniform across engines.
//!
//! One job: bind wasmi to `pwconf-backend`. Neighbours: `pwconf-backend` above (its
//! traits), `pwconf-engines` lists its `REGISTRATION`.

use std::any::Any;
use std::sync::Arc;

use pwconf_backend::binding::{FuncCache, LimitTracker, Shape, invoke_host};
use pwconf_backend::{
    Backend, BackendKind, Caller, CompiledModule, EngineConfig, ExportDesc, ExternKind, FuncRef, FuncType,
    GuestMemory, HostFunc, HostFuncs, HostTrap, ImportDesc, Instance, Limits, LinkedModule, RawInstantiate,
    RawLoop, Registration, TrapKind, Val, ValType, WasmError, artifact, check_call, testkit,
};

/// The wasmi crate version this backend is built with (kept equal to Cargo.toml's pin).
pub const ENGINE_VERSION: &str = "2.0.0";
const NAME: &str = "wasmi";

/// The registry entry for this backend.
pub const REGISTRATION: Registration = Registration {
    name: NAME,
    kind: BackendKind::Interpreter,
    engine_version: ENGINE_VERSION,
    // Both are interpreters (WAMR in Envoy's default build).
    envoy_runtimes: &["envoy.wasm.runtime.wamr"],
    create: |config| Ok(Box::new(WasmiBackend::new(config))),
    raw_baseline,
    raw_instantiate,
};

/// The wasmi interpreter with fuel metering on (the per-call CPU budget).
pub struct WasmiBackend {
    engine: wasmi::Engine,
}

fn engine_config() -> wasmi::Config {
    let mut config = wasmi::Config::default();
    config.consume_fuel(true);
    // Validate eagerly (an invalid module is refused when loaded), translate lazily.
    config.compilation_mode(wasmi::CompilationMode::LazyTranslation);
    config
}

impl WasmiBackend {
    pub fn new(_config: &EngineConfig) -> WasmiBackend {
        WasmiBackend {
            engine: wasmi::Engine::new(&engine_config()),
        }
    }

    fn fingerprint_text() -> String {
        format!("wasmi {ENGINE_VERSION} fuel lazy-translation")
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Backend for WasmiBackend {
    fn name(&self) -> &'static str {
        NAME
    }
    fn kind(&self) -> BackendKind {
        BackendKind::Interpreter
    }
    fn engine_version(&self) -> &'static str {
        ENGINE_VERSION
    }
    fn fingerprint(&self) -> String {
        Self::fingerprint_text()
    }

    fn compile(&self, wasm: &[u8]) -> Result<Arc<dyn CompiledModule>, WasmError> {
        let module = wasmi::Module::new(&self.engine, wasm)
            .map_err(|e| WasmError::InvalidModule(one_line(&e.to_string())))?;
        Ok(Arc::new(WasmiModule::new(&self.engine, module, wasm)))
    }

    fn load_artifact(&self, bytes: &[u8]) -> Result<Arc<dyn CompiledModule>, WasmError> {
        let wasm = artifact::unwrap(bytes, NAME, &Self::fingerprint_text())
            .map_err(|e| WasmError::Artifact(e.to_string()))?;
        let module = wasmi::Module::new(&self.engine, wasm)
            .map_err(|e| WasmError::Artifact(one_line(&e.to_string())))?;
        Ok(Arc::new(WasmiModule::new(&self.engine, module, wasm)))
    }
}

struct WasmiModule {
    engine: wasmi::Engine,
    module: wasmi::Module,
    wasm: Arc<[u8]>,
    imports: Vec<ImportDesc>,
    exports: Vec<ExportDesc>,
}

impl WasmiModule {
    fn new(engine: &wasmi::Engine, module: wasmi::Module, wasm: &[u8]) -> WasmiModule {
        let imports = module
            .imports()
            .map(|i| ImportDesc {
                module: i.module().to_string(),
                name: i.name().to_string(),
                kind: extern_kind(i.ty()),
            })
            .collect();
        let exports = module
            .exports()
            .map(|e| ExportDesc {
                name: e.name().to_string(),
                kind: extern_kind(e.ty()),
            })
            .collect();
        WasmiModule {
            engine: engine.clone(),
            module,
            wasm: wasm.into(),
            imports,
            exports,
        }
    }
}

fn val_type(t: &wasmi::ValType) -> Option<ValType> {
    match t {
        wasmi::ValType::I32 => Some(ValType::I32),
        wasmi::ValType::I64 => Some(ValType::I64),
        wasmi::ValType::F32 => Some(ValType::F32),
        wasmi::ValType::F64 => Some(ValType::F64),
        _ => None,
    }
}

fn func_type(ty: &wasmi::FuncType) -> Option<FuncType> {
    let params = ty.params().iter().map(val_type).collect::<Option<Vec<_>>>()?;
    let results = ty.results().iter().map(val_type).collect::<Option<Vec<_>>>()?;
    Some(FuncType { params, results })
}

fn extern_kind(ty: &wasmi::ExternType) -> ExternKind {
    match ty {
        wasmi::ExternType::Func(f) => func_type(f).map_or(ExternKind::Other, ExternKind::Func),
        wasmi::ExternType::Memory(m) => ExternKind::Memory {
            min_pages: m.minimum(),
            max_pages: m.maximum(),
        },
        wasmi::ExternType::Table(_) => ExternKind::Table,
        wasmi::ExternType::Global(_) => ExternKind::Global,
    }
}

fn to_wasmi_type(t: ValType) -> wasmi::ValType {
    match t {
        ValType::I32 => wasmi::ValType::I32,
        ValType::I64 => wasmi::ValType::I64,
        ValType::F32 => wasmi::ValType::F32,
        ValType::F64 => wasmi::ValType::F64,
    }
}

fn to_wasmi(v: Val) -> wasmi::Val {
    match v {
        Val::I32(x) => wasmi::Val::I32(x),
        Val::I64(x) => wasmi::Val::I64(x),
        Val::F32(x) => wasmi::Val::F32(wasmi::F32::from_bits(x)),
        Val::F64(x) => wasmi::Val::F64(wasmi::F64::from_bits(x)),
    }
}

fn from_wasmi(v: &wasmi::Val) -> Val {
    match v {
        wasmi::Val::I32(x) => Val::I32(*x),
        wasmi::Val::I64(x) => Val::I64(*x),
        wasmi::Val::F32(x) => Val::F32(x.to_bits()),
        wasmi::Val::F64(x) => Val::F64(x.to_bits()),
        // Only numeric signatures are ever bound (see `func_type`).
        _ => Val::I32(0),
    }
}

/// An export looked up as a typed `(i32) -> i32` function (`None`: it is not one).
type TypedExport = (Box<str>, Option<wasmi::TypedFunc<i32, i32>>);

/// What a wasmi `Store` carries.
struct StoreData {
    state: Box<dyn Any + Send>,
    /// The exported `memory`, resolved once per instance.
    memory: Option<wasmi::Memory>,
    limits: LimitTracker,
    /// Exports re-entered as `(i32) -> i32` (the guest allocator), resolved once: a host
    /// call that hands data to the guest must not look up and convert types every time.
    typed_i32: Vec<TypedExport>,
}

impl wasmi::ResourceLimiter for StoreData {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, wasmi_core::LimiterError> {
        Ok(self.limits.memory_growing(desired))
    }
    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, wasmi_core::LimiterError> {
        Ok(self.limits.table_growing(desired))
    }
    // Counts per store; one module instance per store is all pwconf creates, so wasmi's
    // own defaults are kept.
    fn instances(&self) -> usize {
        10_000
    }
    fn tables(&self) -> usize {
        10_000
    }
    fn memories(&self) -> usize {
        10_000
    }
}

/// Carries a [`HostTrap`] through wasmi's error type.
#[derive(Debug)]
struct HostAbort(HostTrap);

impl std::fmt::Display for HostAbort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl wasmi::errors::HostError for HostAbort {}

struct WasmiCaller<'a, 'b> {
    caller: &'a mut wasmi::Caller<'b, StoreData>,
}

impl Caller for WasmiCaller<'_, '_> {
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
            .and_then(wasmi::Extern::into_func)
            .ok_or_else(|| WasmError::MissingExport(export.to_string()))?;
        let ty = func_type(&func.ty(&*self.caller))
            .ok_or_else(|| WasmError::BadCall(format!("{export} has a non-numeric signature")))?;
        check_call(export, &ty, args, results)?;
        call_func(&mut *self.caller, func, args, results)
    }
}

/// The export `name` as a typed `(i32) -> i32` function, cached per instance; `None` when
/// it is missing or has another type (the generic path then reports why).
fn typed_i32(caller: &mut wasmi::Caller<'_, StoreData>, name: &str) -> Option<wasmi::TypedFunc<i32, i32>> {
    if let Some((_, typed)) = caller.data().typed_i32.iter().find(|(n, _)| &**n == name) {
        return *typed;
    }
    let typed = caller
        .get_export(name)
        .and_then(wasmi::Extern::into_func)
        .and_then(|f| f.typed::<i32, i32>(&*caller).ok());
    caller.data_mut().typed_i32.push((name.into(), typed));
    typed
}

fn call_func(
    store: impl wasmi::AsContextMut<Data = StoreData>,
    func: wasmi::Func,
    args: &[Val],
    results: &mut [Val],
) -> Result<(), WasmError> {
    let wargs: Vec<wasmi::Val> = args.iter().copied().map(to_wasmi).collect();
    let mut wresults = vec![wasmi::Val::I32(0); results.len()];
    func.call(store, &wargs, &mut wresults).map_err(map_error)?;
    for (slot, v) in results.iter_mut().zip(&wresults) {
        *slot = from_wasmi(v);
    }
    Ok(())
}

/// Normalises a wasmi error into pwconf's outcome taxonomy.
fn map_error(err: wasmi::Error) -> WasmError {
    if let Some(abort) = err.downcast_ref::<HostAbort>() {
        return WasmError::trap(TrapKind::Host, abort.0.message.clone());
    }
    let message = one_line(&err.to_string());
    let Some(code) = err.as_trap_code() else {
        return WasmError::Engine(message);
    };
    let kind = match code {
        wasmi::TrapCode::MemoryOutOfBounds => TrapKind::OutOfBounds,
        wasmi::TrapCode::TableOutOfBounds => TrapKind::TableOutOfBounds,
        wasmi::TrapCode::UnreachableCodeReached => TrapKind::Unreachable,
        wasmi::TrapCode::StackOverflow => TrapKind::StackOverflow,
        wasmi::TrapCode::IntegerDivisionByZero
        | wasmi::TrapCode::IntegerOverflow
        | wasmi::TrapCode::BadConversionToInteger => TrapKind::IntegerTrap,
        wasmi::TrapCode::IndirectCallToNull | wasmi::TrapCode::BadSignature => TrapKind::IndirectCall,
        wasmi::TrapCode::OutOfFuel => TrapKind::BudgetExhausted,
        _ => TrapKind::Other,
    };
    WasmError::trap(kind, message)
}

impl CompiledModule for WasmiModule {
    fn imports(&self) -> &[ImportDesc] {
        &self.imports
    }
    fn exports(&self) -> &[ExportDesc] {
        &self.exports
    }

    fn serialize(&self) -> Result<Vec<u8>, WasmError> {
        Ok(artifact::wrap(
            NAME,
            &WasmiBackend::fingerprint_text(),
            &self.wasm,
        ))
    }

    fn link(&self, host: &HostFuncs) -> Result<Arc<dyn LinkedModule>, WasmError> {
        let resolved = host.resolve(&self.imports)?;
        let mut linker = wasmi::Linker::<StoreData>::new(&self.engine);
        for func in resolved {
            if bind_typed(&mut linker, &func)? {
                continue;
            }
            let ty = wasmi::FuncType::new(
                func.ty.params.iter().copied().map(to_wasmi_type),
                func.ty.results.iter().copied().map(to_wasmi_type),
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
                            &mut WasmiCaller { caller: &mut caller },
                            params.iter(),
                            from_wasmi,
                            count,
                            |i, v| results[i] = to_wasmi(v),
                        )
                        .map_err(|trap| wasmi::Error::host(HostAbort(trap)))
                    },
                )
                .map_err(|e| WasmError::Engine(one_line(&e.to_string())))?;
        }
        Ok(Arc::new(WasmiLinked {
            linker,
            module: self.module.clone(),
            exports: self.exports.clone(),
        }))
    }
}

/// Binds an all-`i32` host function through wasmi's typed API (no value boxing).
/// Returns false for shapes without a typed path.
fn bind_typed(linker: &mut wasmi::Linker<StoreData>, func: &HostFunc) -> Result<bool, WasmError> {
    let shape = Shape::of(&func.ty);
    let linker_error = |e: wasmi::errors::LinkerError| WasmError::Engine(one_line(&e.to_string()));
    macro_rules! typed {
        ($n:literal; $($a:ident)*) => {
            if shape == (Shape::I32ToI32 { params: $n }) {
                let body = func.body.clone();
                linker
                    .func_wrap(&func.module, &func.name,
                        move |mut caller: wasmi::Caller<'_, StoreData>, $($a: i32),*| -> Result<i32, wasmi::Error> {
                            let args: [Val; $n] = [$(Val::I32($a)),*];
                            let mut out = [Val::I32(0)];
                            body(&mut WasmiCaller { caller: &mut caller }, &args, &mut out)
                                .map_err(|trap| wasmi::Error::host(HostAbort(trap)))?;
                            Ok(out[0].i32().unwrap_or(0))
                        })
                    .map_err(linker_error)?;
                return Ok(true);
            }
            if shape == (Shape::I32ToUnit { params: $n }) {
                let body = func.body.clone();
                linker
                    .func_wrap(&func.module, &func.name,
                        move |mut caller: wasmi::Caller<'_, StoreData>, $($a: i32),*| -> Result<(), wasmi::Error> {
                            let args: [Val; $n] = [$(Val::I32($a)),*];
                            body(&mut WasmiCaller { caller: &mut caller }, &args, &mut [])
                                .map_err(|trap| wasmi::Error::host(HostAbort(trap)))
                        })
                    .map_err(linker_error)?;
                return Ok(true);
            }
        };
    }
    pwconf_backend::for_each_i32_arity!(typed);
    Ok(false)
}

struct WasmiLinked {
    linker: wasmi::Linker<StoreData>,
    module: wasmi::Module,
    exports: Vec<ExportDesc>,
}

fn set_fuel(store: &mut wasmi::Store<StoreData>, fuel: Option<u64>) -> Result<(), WasmError> {
    store
        .set_fuel(fuel.unwrap_or(u64::MAX))
        .map_err(|e| WasmError::Engine(e.to_string()))
}

impl LinkedModule for WasmiLinked {
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
        let mut store = wasmi::Store::new(self.module.engine(), data);
        store.limiter(|d| d);
        set_fuel(&mut store, limits.fuel_per_call)?;
        let instance = match self.linker.instantiate_and_start(&mut store, &self.module) {
            Ok(i) => i,
            Err(e) if store.data().limits.hit() => {
                return Err(WasmError::MemoryLimit(one_line(&e.to_string())));
            }
            Err(e) => return Err(map_error(e)),
        };
        let memory = instance.get_memory(&store, "memory");
        store.data_mut().memory = memory;
        Ok(Box::new(WasmiInstance {
            store,
            instance,
            funcs: FuncCache::default(),
            fuel: limits.fuel_per_call,
        }))
    }
}

struct WasmiInstance {
    store: wasmi::Store<StoreData>,
    instance: wasmi::Instance,
    funcs: FuncCache<wasmi::Func>,
    fuel: Option<u64>,
}

impl Instance for WasmiInstance {
    fn func(&mut self, name: &str) -> Option<FuncRef> {
        let (instance, store) = (&self.instance, &self.store);
        self.funcs.resolve(name, || {
            let func = instance.get_func(store, name)?;
            Some((func, func_type(&func.ty(store))?))
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
    memory: Option<wasmi::Memory>,
    malloc: Option<wasmi::TypedFunc<i32, i32>>,
    pairs: Vec<(Vec<u8>, Vec<u8>)>,
    logs: Vec<(i32, String)>,
}

/// A [`testkit::RawCase`] written directly against wasmi's typed API, with the same
/// engine settings and fuel, as the floor for the cost of the neutral layer.
fn raw_baseline(case: testkit::RawCase) -> Result<RawLoop, WasmError> {
    use testkit::RawCase;
    let engine = wasmi::Engine::new(&engine_config());
    let (wasm, export, import) = match case {
        RawCase::Read64 => (testkit::wat(testkit::PROBE_WAT), "read_loop", "read64"),
        RawCase::GetValue => (testkit::raw_hostcall_probe(), "get_value_loop", "get_value"),
        RawCase::Log => (testkit::raw_hostcall_probe(), "log_loop", "log"),
    };
    let wasm = wasm.map_err(WasmError::InvalidModule)?;
    let module = wasmi::Module::new(&engine, &wasm).map_err(map_error)?;
    let mut linker = wasmi::Linker::<Raw>::new(&engine);
    match case {
        RawCase::Read64 => linker.func_wrap(
            "host",
            "read64",
            |caller: wasmi::Caller<'_, Raw>, ptr: i32| -> i32 {
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
            |mut caller: wasmi::Caller<'_, Raw>,
             _map: i32,
             key_ptr: i32,
             key_len: i32,
             out_ptr: i32,
             out_len: i32|
             -> Result<i32, wasmi::Error> {
                let (Some(memory), Some(malloc)) = (caller.data().memory, caller.data().malloc) else {
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
            |mut caller: wasmi::Caller<'_, Raw>, level: i32, ptr: i32, len: i32| -> i32 {
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
    .map_err(|e| WasmError::Engine(e.to_string()))?;
    // The probe's other imports are never called by the benchmarked loop.
    for other in module.imports() {
        if let wasmi::ExternType::Func(ty) = other.ty()
            && other.name() != import
        {
            linker
                .func_new(other.module(), other.name(), ty.clone(), |_, _, _| {
                    Err(wasmi::Error::new("not part of the baseline"))
                })
                .map_err(|e| WasmError::Engine(e.to_string()))?;
        }
    }
    let raw = Raw {
        memory: None,
        malloc: None,
        pairs: testkit::value_pairs(),
        logs: Vec::new(),
    };
    let mut store = wasmi::Store::new(&engine, raw);
    let fuel = Limits::default().fuel_per_call.unwrap_or(u64::MAX);
    store
        .set_fuel(fuel)
        .map_err(|e| WasmError::Engine(e.to_string()))?;
    let instance = linker
        .instantiate_and_start(&mut store, &module)
        .map_err(map_error)?;
    store.data_mut().memory = instance.get_memory(&store, "memory");
    store.data_mut().malloc = instance.get_typed_func::<i32, i32>(&store, "malloc").ok();
    let run = instance
        .get_typed_func::<i32, i32>(&store, export)
        .map_err(map_error)?;
    Ok(Box::new(move |n| {
        store.data_mut().logs.clear();
        store
            .set_fuel(fuel)
            .map_err(|e| WasmError::Engine(e.to_string()))?;
        run.call(&mut store, n).map_err(map_error)
    }))
}

/// wasmi's own bare instantiation: a `Linker` with every function import a trapping stub
/// (made once; wasmi's linker is store-independent) and a fresh `Store` each time.
fn raw_instantiate(wasm: &[u8]) -> Result<RawInstantiate, WasmError> {
    let engine = wasmi::Engine::new(&engine_config());
    let module = wasmi::Module::new(&engine, wasm).map_err(map_error)?;
    let mut linker = wasmi::Linker::<()>::new(&engine);
    for import in module.imports() {
        if let wasmi::ExternType::Func(ty) = import.ty() {
            linker
                .func_new(import.module(), import.name(), ty.clone(), |_, _, _| {
                    Err(wasmi::Error::new("not part of the baseline"))
                })
                .map_err(|e| WasmError::Engine(e.to_string()))?;
        }
    }
    let fuel = Limits::default().fuel_per_call.unwrap_or(u64::MAX);
    Ok(Box::new(move || {
        let mut store = wasmi::Store::new(&engine, ());
        store
            .set_fuel(fuel)
            .map_err(|e| WasmError::Engine(e.to_string()))?;
        linker
            .instantiate_and_start(&mut store, &module)
            .map_err(map_error)?;
        Ok(())
    }))
}
