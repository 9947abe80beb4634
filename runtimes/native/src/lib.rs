//! Native modules: guest code written in Rust and run with no Wasm engine at all, in the
//! spirit of Envoy's null VM. A [`NativeModule`] declares imports and exports like a Wasm
//! module, is linked against the same [`HostFuncs`] table and instantiated into the same
//! [`Instance`] interface, and its "linear memory" is a plain byte vector, so host
//! functions run exactly as they do on a real engine. Only the Wasm is gone.
//!
//! It is the benchmarks' native baseline: what the host costs when the guest costs
//! nothing. It is not in the engine registry (it cannot compile Wasm, so it cannot run
//! the conformance suite), and like every backend it knows nothing of Proxy-Wasm.
//!
//! One job: the no-engine baseline. Neighbours: `pwconf-backend` (its traits); the host's
//! benches use it.

use std::any::Any;
use std::sync::Arc;

use pwconf_backend::binding::LimitTracker;
use pwconf_backend::{
    Caller, CompiledModule, ExportDesc, ExternKind, FuncRef, FuncType, GuestMemory, HostFunc, HostFuncs,
    ImportDesc, Instance, Limits, LinkedModule, TrapKind, Val, WasmError, check_call,
};

/// The body of a native export: guest code. It reaches its imports, memory and globals
/// through the [`NativeCaller`].
///
/// # Errors
/// A trap (a host function's, or the guest's own).
pub type NativeFn = fn(&mut NativeCaller<'_>, &[Val], &mut [Val]) -> Result<(), WasmError>;

/// Bytes of one Wasm page.
pub const PAGE: usize = 65536;

/// A guest written in Rust: its interface, its memory's initial contents and its code.
#[derive(Clone)]
pub struct NativeModule {
    imports: Vec<ImportDesc>,
    exports: Vec<ExportDesc>,
    bodies: Vec<NativeFn>,
    memory_pages: u32,
    data: Vec<(u32, Vec<u8>)>,
    globals: usize,
}

impl NativeModule {
    /// A module with `memory_pages` of memory (exported as `memory`) and `globals` `i64`
    /// globals, initially zero.
    pub fn new(memory_pages: u32, globals: usize) -> NativeModule {
        NativeModule {
            imports: Vec::new(),
            exports: vec![ExportDesc {
                name: "memory".to_string(),
                kind: ExternKind::Memory {
                    min_pages: u64::from(memory_pages),
                    max_pages: None,
                },
            }],
            bodies: Vec::new(),
            memory_pages,
            data: Vec::new(),
            globals,
        }
    }

    /// Declares an imported function; imports are numbered in declaration order from 0.
    pub fn import(&mut self, module: &str, name: &str, ty: FuncType) -> usize {
        self.imports.push(ImportDesc {
            module: module.to_string(),
            name: name.to_string(),
            kind: ExternKind::Func(ty),
        });
        self.imports.len() - 1
    }

    /// Declares an exported function and its code.
    pub fn export(&mut self, name: &str, ty: FuncType, body: NativeFn) -> &mut Self {
        self.exports.push(ExportDesc {
            name: name.to_string(),
            kind: ExternKind::Func(ty),
        });
        self.bodies.push(body);
        self
    }

    /// Bytes copied into memory at `at` when an instance is created (a data segment).
    pub fn data(&mut self, at: u32, bytes: &[u8]) -> &mut Self {
        self.data.push((at, bytes.to_vec()));
        self
    }

    /// The compiled form the host links, as a backend's `compile` would return it.
    pub fn into_compiled(self) -> Arc<dyn CompiledModule> {
        Arc::new(self)
    }

    fn body(&self, name: &str) -> Option<(usize, FuncType)> {
        self.exports
            .iter()
            .filter(|e| matches!(e.kind, ExternKind::Func(_)))
            .enumerate()
            .find(|(_, e)| e.name == name)
            .and_then(|(i, e)| match &e.kind {
                ExternKind::Func(ty) => Some((i, ty.clone())),
                _ => None,
            })
    }
}

impl CompiledModule for NativeModule {
    fn imports(&self) -> &[ImportDesc] {
        &self.imports
    }

    fn exports(&self) -> &[ExportDesc] {
        &self.exports
    }

    fn serialize(&self) -> Result<Vec<u8>, WasmError> {
        Err(WasmError::Artifact(
            "a native module is Rust code; it has no artifact".to_string(),
        ))
    }

    fn link(&self, host: &HostFuncs) -> Result<Arc<dyn LinkedModule>, WasmError> {
        let imports = host.resolve(&self.imports)?;
        Ok(Arc::new(NativeLinked {
            module: Arc::new(Linked {
                module: self.clone(),
                imports,
            }),
        }))
    }
}

struct Linked {
    module: NativeModule,
    imports: Vec<HostFunc>,
}

struct NativeLinked {
    module: Arc<Linked>,
}

impl LinkedModule for NativeLinked {
    fn exports(&self) -> &[ExportDesc] {
        &self.module.module.exports
    }

    fn instantiate(
        &self,
        state: Box<dyn Any + Send>,
        limits: &Limits,
    ) -> Result<Box<dyn Instance>, WasmError> {
        let size = self.module.module.memory_pages as usize * PAGE;
        let mut tracker = LimitTracker::new(limits);
        if !tracker.memory_growing(size) {
            return Err(WasmError::MemoryLimit(format!(
                "initial memory of {size} bytes exceeds the limit of {} bytes",
                tracker.max_memory_bytes()
            )));
        }
        let mut memory = vec![0u8; size];
        for (at, bytes) in &self.module.module.data {
            let start = *at as usize;
            let slot = memory
                .get_mut(start..start + bytes.len())
                .ok_or_else(|| WasmError::Engine(format!("data segment at {at} is outside memory")))?;
            slot.copy_from_slice(bytes);
        }
        Ok(Box::new(NativeInstance {
            module: self.module.clone(),
            memory,
            globals: vec![0; self.module.module.globals],
            state,
        }))
    }
}

struct NativeInstance {
    module: Arc<Linked>,
    memory: Vec<u8>,
    globals: Vec<i64>,
    state: Box<dyn Any + Send>,
}

impl Instance for NativeInstance {
    fn func(&mut self, name: &str) -> Option<FuncRef> {
        let (index, ty) = self.module.module.body(name)?;
        Some(FuncRef { index, ty })
    }

    fn call(&mut self, func: &FuncRef, args: &[Val], results: &mut [Val]) -> Result<(), WasmError> {
        let body = *self
            .module
            .module
            .bodies
            .get(func.index)
            .ok_or_else(|| WasmError::BadCall(format!("unknown function handle {}", func.index)))?;
        check_call("function", &func.ty, args, results)?;
        let mut caller = NativeCaller {
            module: &self.module,
            memory: &mut self.memory,
            globals: &mut self.globals,
            state: &mut *self.state,
        };
        body(&mut caller, args, results)
    }

    fn memory(&mut self) -> Option<&mut [u8]> {
        Some(&mut self.memory)
    }

    fn state(&mut self) -> &mut (dyn Any + Send) {
        &mut *self.state
    }
}

/// What native guest code sees while it runs, and what host functions see of it: the same
/// [`Caller`] a Wasm engine's binding gives them.
pub struct NativeCaller<'a> {
    module: &'a Arc<Linked>,
    memory: &'a mut Vec<u8>,
    globals: &'a mut Vec<i64>,
    state: &'a mut (dyn Any + Send),
}

impl NativeCaller<'_> {
    /// Calls import `index` (declaration order), as a Wasm `call` of an import would.
    ///
    /// # Errors
    /// The host function's trap.
    pub fn import(&mut self, index: usize, args: &[Val], results: &mut [Val]) -> Result<(), WasmError> {
        // A copy of the `&'a` reference, so the call below can lend `self` out.
        let module: &Arc<Linked> = self.module;
        let func = module
            .imports
            .get(index)
            .ok_or_else(|| WasmError::BadCall(format!("unknown import {index}")))?;
        (func.body)(self, args, results).map_err(|trap| WasmError::trap(TrapKind::Host, trap.message))
    }

    /// Calls an all-`i32` import with one `i32` result (every Proxy-Wasm hostcall's shape).
    ///
    /// # Errors
    /// The host function's trap.
    pub fn import_i32<const N: usize>(&mut self, index: usize, args: [i32; N]) -> Result<i32, WasmError> {
        let args = args.map(Val::I32);
        let mut out = [Val::I32(0)];
        self.import(index, &args, &mut out)?;
        Ok(out[0].i32().unwrap_or(0))
    }

    /// The guest's memory.
    pub fn bytes(&mut self) -> &mut [u8] {
        self.memory
    }

    /// Global `index`.
    ///
    /// # Errors
    /// The module declared fewer globals.
    pub fn global(&mut self, index: usize) -> Result<&mut i64, WasmError> {
        self.globals
            .get_mut(index)
            .ok_or_else(|| WasmError::BadCall(format!("unknown global {index}")))
    }
}

impl Caller for NativeCaller<'_> {
    fn memory_and_state(&mut self) -> (Option<GuestMemory<'_>>, &mut (dyn Any + Send)) {
        (Some(GuestMemory::new(self.memory)), &mut *self.state)
    }

    fn call(&mut self, export: &str, args: &[Val], results: &mut [Val]) -> Result<(), WasmError> {
        let (index, ty) = self
            .module
            .module
            .body(export)
            .ok_or_else(|| WasmError::MissingExport(export.to_string()))?;
        check_call(export, &ty, args, results)?;
        let body = self.module.module.bodies[index];
        body(self, args, results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pwconf_backend::ValType::I32;

    fn double(_c: &mut NativeCaller<'_>, args: &[Val], out: &mut [Val]) -> Result<(), WasmError> {
        out[0] = Val::I32(args[0].i32().unwrap_or(0) * 2);
        Ok(())
    }

    fn read_and_reenter(c: &mut NativeCaller<'_>, _args: &[Val], out: &mut [Val]) -> Result<(), WasmError> {
        out[0] = Val::I32(c.import_i32(0, [16])?);
        Ok(())
    }

    #[test]
    fn host_functions_see_memory_and_can_reenter_the_guest() {
        let mut module = NativeModule::new(1, 0);
        module.import("host", "peek", FuncType::new([I32], [I32]));
        module
            .export("double", FuncType::new([I32], [I32]), double)
            .export("run", FuncType::new([], [I32]), read_and_reenter)
            .data(16, &[7]);
        let mut host = HostFuncs::new();
        host.define(
            "host",
            "peek",
            FuncType::new([I32], [I32]),
            |caller, args, out| {
                let byte = caller
                    .memory()
                    .and_then(|m| m.read(args[0].u32(), 1).ok().map(|b| b[0]))
                    .unwrap_or(0);
                let mut doubled = [Val::I32(0)];
                caller
                    .call("double", &[Val::I32(i32::from(byte))], &mut doubled)
                    .map_err(|e| pwconf_backend::HostTrap::new(e.to_string()))?;
                out[0] = doubled[0];
                Ok(())
            },
        );
        let linked = module.into_compiled().link(&host).unwrap();
        let mut instance = linked.instantiate(Box::new(()), &Limits::default()).unwrap();
        let mut out = [Val::I32(0)];
        instance.call_export("run", &[], &mut out).unwrap();
        assert_eq!(out[0], Val::I32(14));
    }

    #[test]
    fn a_missing_import_fails_to_link_and_a_large_memory_hits_the_limit() {
        let mut module = NativeModule::new(4, 0);
        module.import("host", "absent", FuncType::new([], []));
        assert!(module.clone().into_compiled().link(&HostFuncs::new()).is_err());
        let linked = NativeModule::new(4, 0)
            .into_compiled()
            .link(&HostFuncs::new())
            .unwrap();
        let limits = Limits {
            max_memory_bytes: PAGE as u64,
            ..Limits::default()
        };
        let err = linked.instantiate(Box::new(()), &limits).err().unwrap();
        assert_eq!(err.kind(), pwconf_backend::OutcomeKind::MemoryLimit);
    }
}
