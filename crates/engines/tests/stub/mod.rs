//! A do-nothing engine, for testing the contract tests themselves: it accepts every
//! module, every link and every call, answers zeros, and its raw baselines do no work.
//! `HALF_WIRED` is the same engine whose raw read and lookup loops give the right
//! answers while its raw log loop does nothing. Every contract check must fail on them.

use std::any::Any;
use std::sync::Arc;

use pwconf_backend::testkit::{self, RawCase};
use pwconf_backend::{
    Backend, BackendKind, CompiledModule, EngineConfig, ExportDesc, FuncRef, FuncType, HostFuncs, ImportDesc,
    Instance, Limits, LinkedModule, RawInstantiate, RawLoop, Registration, Val, WasmError,
};

pub const STUB: Registration = Registration {
    name: "stub",
    kind: BackendKind::Interpreter,
    engine_version: "0",
    create,
    raw_baseline: |_| Ok(Box::new(|_| Ok(0)) as RawLoop),
    raw_instantiate,
    envoy_runtimes: &[],
};

pub const HALF_WIRED: Registration = Registration {
    name: "half-wired",
    raw_baseline: half_wired_baseline,
    ..STUB
};

fn create(_: &EngineConfig) -> Result<Box<dyn Backend>, WasmError> {
    Ok(Box::new(Stub))
}

fn raw_instantiate(_: &[u8]) -> Result<RawInstantiate, WasmError> {
    Ok(Box::new(|| Ok(())))
}

/// Right answers computed without running a guest, except for the log loop.
fn half_wired_baseline(case: RawCase) -> Result<RawLoop, WasmError> {
    Ok(match case {
        RawCase::Read64 => Box::new(|n| Ok(testkit::data_checksum() * n)),
        RawCase::GetValue => Box::new(|n| Ok(testkit::get_value_loop_result(n))),
        RawCase::Log => Box::new(|_| Ok(0)),
    })
}

struct Stub;

impl Backend for Stub {
    fn name(&self) -> &'static str {
        "stub"
    }
    fn kind(&self) -> BackendKind {
        BackendKind::Interpreter
    }
    fn engine_version(&self) -> &'static str {
        "0"
    }
    fn fingerprint(&self) -> String {
        "stub".into()
    }
    fn compile(&self, _: &[u8]) -> Result<Arc<dyn CompiledModule>, WasmError> {
        Ok(Arc::new(Stub))
    }
    fn load_artifact(&self, _: &[u8]) -> Result<Arc<dyn CompiledModule>, WasmError> {
        Ok(Arc::new(Stub))
    }
}

impl CompiledModule for Stub {
    fn imports(&self) -> &[ImportDesc] {
        &[]
    }
    fn exports(&self) -> &[ExportDesc] {
        &[]
    }
    fn serialize(&self) -> Result<Vec<u8>, WasmError> {
        Ok(Vec::new())
    }
    fn link(&self, _: &HostFuncs) -> Result<Arc<dyn LinkedModule>, WasmError> {
        Ok(Arc::new(Stub))
    }
}

impl LinkedModule for Stub {
    fn exports(&self) -> &[ExportDesc] {
        &[]
    }
    fn instantiate(&self, state: Box<dyn Any + Send>, _: &Limits) -> Result<Box<dyn Instance>, WasmError> {
        Ok(Box::new(StubInstance {
            state,
            memory: vec![0; 65536],
        }))
    }
}

struct StubInstance {
    state: Box<dyn Any + Send>,
    memory: Vec<u8>,
}

impl Instance for StubInstance {
    fn func(&mut self, _: &str) -> Option<FuncRef> {
        Some(FuncRef {
            index: 0,
            ty: FuncType::new([], []),
        })
    }
    fn call(&mut self, _: &FuncRef, _: &[Val], results: &mut [Val]) -> Result<(), WasmError> {
        for r in results {
            *r = Val::zero(r.ty());
        }
        Ok(())
    }
    fn memory(&mut self) -> Option<&mut [u8]> {
        Some(&mut self.memory)
    }
    fn state(&mut self) -> &mut (dyn Any + Send) {
        &mut *self.state
    }
}
