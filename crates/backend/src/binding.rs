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

    pub fn max_table_elements(&self) -> u64 {
        self.max_table_elements
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

/// Calls `$m!(N; a0 .. aN-1)` for every arity a Proxy-Wasm hostcall has (0 to 12), so a
/// runtime crate can bind each all-`i32` signature shape to its engine's typed (fastest)
/// host-function API once, as Envoy's host registers callbacks by shape.
#[macro_export]
macro_rules! for_each_i32_arity {
    ($m:ident) => {
        $m!(0;);
        $m!(1; a0);
        $m!(2; a0 a1);
        $m!(3; a0 a1 a2);
        $m!(4; a0 a1 a2 a3);
        $m!(5; a0 a1 a2 a3 a4);
        $m!(6; a0 a1 a2 a3 a4 a5);
        $m!(7; a0 a1 a2 a3 a4 a5 a6);
        $m!(8; a0 a1 a2 a3 a4 a5 a6 a7);
        $m!(9; a0 a1 a2 a3 a4 a5 a6 a7 a8);
        $m!(10; a0 a1 a2 a3 a4 a5 a6 a7 a8 a9);
        $m!(11; a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 a10);
        $m!(12; a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11);
    };
}

/// The signature shapes with a typed fast path: only `i32` parameters, and one `i32`
/// result or none. Every other signature takes the engine's dynamic path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `(i32 × params) -> i32`
    I32ToI32 { params: usize },
    /// `(i32 × params) -> ()`
    I32ToUnit { params: usize },
    /// Anything else.
    Other,
}

impl Shape {
    pub fn of(ty: &FuncType) -> Shape {
        use crate::ValType::I32;
        if !ty.params.iter().all(|t| *t == I32) {
            return Shape::Other;
        }
        match ty.results.as_slice() {
            [I32] => Shape::I32ToI32 {
                params: ty.params.len(),
            },
            [] => Shape::I32ToUnit {
                params: ty.params.len(),
            },
            _ => Shape::Other,
        }
    }
}
