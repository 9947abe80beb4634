//! Host functions, defined once and bound into every engine by its runtime crate.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::error::{LinkError, WasmError};
use crate::memory::GuestMemory;
use crate::types::{ExternKind, FuncType, ImportDesc, Val};

/// A host function aborted the guest (for example a forbidden hostcall). The guest's call
/// ends with [`crate::TrapKind::Host`] carrying this message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct HostTrap {
    pub message: String,
}

impl HostTrap {
    pub fn new(message: impl Into<String>) -> HostTrap {
        HostTrap {
            message: message.into(),
        }
    }
}

/// What a host function sees of the instance that called it.
pub trait Caller {
    /// The guest's exported linear memory together with the embedder's state (both are
    /// often needed at once). The memory is `None` when the module exports none.
    fn memory_and_state(&mut self) -> (Option<GuestMemory<'_>>, &mut (dyn Any + Send));

    /// Calls an export of the same instance (re-entry, e.g. the guest's allocator). It
    /// shares the budget of the call in progress.
    ///
    /// # Errors
    /// As [`crate::Instance::call`]; a missing export is [`WasmError::MissingExport`].
    fn call(&mut self, export: &str, args: &[Val], results: &mut [Val]) -> Result<(), WasmError>;

    /// The guest's exported linear memory.
    fn memory(&mut self) -> Option<GuestMemory<'_>> {
        self.memory_and_state().0
    }

    /// The embedder's state given at instantiation.
    fn state(&mut self) -> &mut (dyn Any + Send) {
        self.memory_and_state().1
    }
}

/// The body of a host function: reads its arguments, writes its results.
pub type HostFn = dyn Fn(&mut dyn Caller, &[Val], &mut [Val]) -> Result<(), HostTrap> + Send + Sync;

/// One host function: where it is imported from, its signature and its body.
#[derive(Clone)]
pub struct HostFunc {
    pub module: String,
    pub name: String,
    pub ty: FuncType,
    pub body: Arc<HostFn>,
}

impl fmt::Debug for HostFunc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}: {}", self.module, self.name, self.ty)
    }
}

/// The table of host functions offered to guests.
#[derive(Debug, Clone, Default)]
pub struct HostFuncs {
    funcs: Vec<HostFunc>,
    index: HashMap<(String, String), usize>,
}

impl HostFuncs {
    pub fn new() -> HostFuncs {
        HostFuncs::default()
    }

    /// Adds (or replaces) a function.
    pub fn define(
        &mut self,
        module: impl Into<String>,
        name: impl Into<String>,
        ty: FuncType,
        body: impl Fn(&mut dyn Caller, &[Val], &mut [Val]) -> Result<(), HostTrap> + Send + Sync + 'static,
    ) -> &mut Self {
        self.insert(HostFunc {
            module: module.into(),
            name: name.into(),
            ty,
            body: Arc::new(body),
        })
    }

    pub fn insert(&mut self, func: HostFunc) -> &mut Self {
        let key = (func.module.clone(), func.name.clone());
        match self.index.get(&key) {
            Some(&i) => self.funcs[i] = func,
            None => {
                self.index.insert(key, self.funcs.len());
                self.funcs.push(func);
            }
        }
        self
    }

    pub fn get(&self, module: &str, name: &str) -> Option<&HostFunc> {
        self.index
            .get(&(module.to_string(), name.to_string()))
            .map(|&i| &self.funcs[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &HostFunc> {
        self.funcs.iter()
    }

    pub fn len(&self) -> usize {
        self.funcs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.funcs.is_empty()
    }

    /// The host function for each import, in import order, once per (module, name): a
    /// module may import one function twice (Go's wasip1 port imports `fd_write` from two
    /// packages), and engines define each name once. Every engine links through this,
    /// so a missing import or a wrong signature reads the same everywhere.
    ///
    /// # Errors
    /// [`LinkError`] for the first import that is not a function the table has with exactly
    /// that signature.
    pub fn resolve(&self, imports: &[ImportDesc]) -> Result<Vec<HostFunc>, WasmError> {
        let mut funcs = Vec::with_capacity(imports.len());
        for (i, import) in imports.iter().enumerate() {
            let func = self.resolve_one(import)?;
            let seen = imports[..i]
                .iter()
                .any(|earlier| earlier.module == import.module && earlier.name == import.name);
            if !seen {
                funcs.push(func);
            }
        }
        Ok(funcs)
    }

    fn resolve_one(&self, import: &ImportDesc) -> Result<HostFunc, WasmError> {
        let missing = || LinkError::Missing {
            module: import.module.clone(),
            name: import.name.clone(),
            kind: import.kind.name(),
        };
        let ExternKind::Func(found) = &import.kind else {
            return Err(missing().into());
        };
        let func = self.get(&import.module, &import.name).ok_or_else(missing)?;
        let too_wide = found.params.len() > crate::binding::MAX_PARAMS
            || found.results.len() > crate::binding::MAX_RESULTS;
        if &func.ty != found || too_wide {
            return Err(LinkError::Signature {
                module: import.module.clone(),
                name: import.name.clone(),
                expected: func.ty.clone(),
                found: found.clone(),
            }
            .into());
        }
        Ok(func.clone())
    }
}
