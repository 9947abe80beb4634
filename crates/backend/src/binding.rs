//! Small pieces every runtime crate needs when binding an engine, kept here so the three
//! bindings do not each grow their own copy.

use std::collections::HashMap;

use crate::{FuncRef, FuncType, HostFn, HostTrap, Limits, Val};

/// Host functions are bound only to signatures up to these widths (Proxy-Wasm's widest
/// hostcall takes 12 parameters); [`crate::HostFuncs::resolve`] refuses wider ones.
pub const MAX_PARAMS: usize = 32;
pub const MAX_RESULTS: usize = 8;

/// Decides memory and table growth against [`Limits`] and remembers whether a limit was
/// hit, so a failed instantiation can be reported as a memory limit, not a generic error.
#[derive(Debug, Clone)]
pub struct LimitTracker {
    max_memory_bytes: u64,
    max_table_elements: u64,
    hit: bool,
}

impl LimitTracker {
    pub fn new(limits: &Limits) -> LimitTracker {
        LimitTracker {
            max_memory_bytes: limits.max_memory_bytes,
            max_table_elements: u64::from(limits.max_table_elements),
            hit: false,
        }
    }

    /// May a memory grow to `desired` bytes?
    pub fn memory_growing(&mut self, desired: usize) -> bool {
        let ok = desired as u64 <= self.max_memory_bytes;
        self.hit |= !ok;
        ok
    }

    /// May a table grow to `desired` elements?
    pub fn table_growing(&mut self, desired: usize) -> bool {
        let ok = desired as u64 <= self.max_table_elements;
        self.hit |= !ok;
        ok
    }

    /// Whether a growth request was refused.
    pub fn hit(&self) -> bool {
        self.hit
    }

    pub fn max_memory_bytes(&self) -> u64 {
        self.max_memory_bytes
    }
}

/// An instance's exported functions resolved so far, by name and by handle index.
#[derive(Debug)]
pub struct FuncCache<F> {
    funcs: Vec<F>,
    by_name: HashMap<String, FuncRef>,
}

impl<F: Clone> Default for FuncCache<F> {
    fn default() -> Self {
        FuncCache {
            funcs: Vec::new(),
            by_name: HashMap::new(),
        }
    }
}

impl<F: Clone> FuncCache<F> {
    /// The handle for `name`, resolving it with `lookup` the first time.
    pub fn resolve(&mut self, name: &str, lookup: impl FnOnce() -> Option<(F, FuncType)>) -> Option<FuncRef> {
        if let Some(f) = self.by_name.get(name) {
            return Some(f.clone());
        }
        let (func, ty) = lookup()?;
        let handle = FuncRef {
            index: self.funcs.len(),
            ty,
        };
        self.funcs.push(func);
        self.by_name.insert(name.to_string(), handle.clone());
        Some(handle)
    }

    /// The engine function behind a handle.
    ///
    /// # Errors
    /// [`crate::WasmError::BadCall`] for a handle this instance did not hand out.
    pub fn get(&self, handle: &FuncRef) -> Result<F, crate::WasmError> {
        self.funcs
            .get(handle.index)
            .cloned()
            .ok_or_else(|| crate::WasmError::BadCall(format!("unknown function handle {}", handle.index)))
    }
}

/// Runs a host function body with engine values converted on the stack (no allocation):
/// `params` are converted in, the body runs, and its results are handed to `write_result`.
///
/// # Errors
/// The body's [`HostTrap`].
pub fn invoke_host<P>(
    body: &HostFn,
    caller: &mut dyn crate::Caller,
    params: impl ExactSizeIterator<Item = P>,
    convert: impl Fn(P) -> Val,
    result_count: usize,
    mut write_result: impl FnMut(usize, Val),
) -> Result<(), HostTrap> {
    let mut args = [Val::I32(0); MAX_PARAMS];
    let mut outs = [Val::I32(0); MAX_RESULTS];
    let n = params.len().min(MAX_PARAMS);
    for (slot, p) in args.iter_mut().zip(params) {
        *slot = convert(p);
    }
    let outs = &mut outs[..result_count.min(MAX_RESULTS)];
    body(caller, &args[..n], outs)?;
    for (i, v) in outs.iter().enumerate() {
        write_result(i, *v);
    }
    Ok(())
}
