//! Engine-neutral values and signatures.

use std::fmt;

/// A wasm value type (the subset pwconf's guests use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
        })
    }
}

/// A wasm value. Floats are kept as their bit patterns so values compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
}

impl Val {
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
        }
    }

    /// The zero value of a type, for result slots.
    pub fn zero(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
        }
    }

    /// The value as an `i32`, if it is one.
    pub fn i32(&self) -> Option<i32> {
        match self {
            Val::I32(v) => Some(*v),
            _ => None,
        }
    }

    /// The value as an `i64`, if it is one.
    pub fn i64(&self) -> Option<i64> {
        match self {
            Val::I64(v) => Some(*v),
            _ => None,
        }
    }

    /// An `i32` read as an unsigned 32-bit pointer or size; 0 for other types (host
    /// functions are only bound to signatures they declared, so this never mismatches).
    pub fn u32(&self) -> u32 {
        match self {
            Val::I32(v) => *v as u32,
            _ => 0,
        }
    }
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::I32(v) => write!(f, "{v}"),
            Val::I64(v) => write!(f, "{v}"),
            Val::F32(v) => write!(f, "{}", f32::from_bits(*v)),
            Val::F64(v) => write!(f, "{}", f64::from_bits(*v)),
        }
    }
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FuncType {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

impl FuncType {
    pub fn new(params: impl Into<Vec<ValType>>, results: impl Into<Vec<ValType>>) -> FuncType {
        FuncType {
            params: params.into(),
            results: results.into(),
        }
    }
}

pub(crate) fn list(types: &[ValType]) -> String {
    format!(
        "({})",
        types
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", list(&self.params), list(&self.results))
    }
}

/// What an import or export is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternKind {
    Func(FuncType),
    Memory { min_pages: u64, max_pages: Option<u64> },
    Table,
    Global,
    Other,
}

impl ExternKind {
    pub fn name(&self) -> &'static str {
        match self {
            ExternKind::Func(_) => "function",
            ExternKind::Memory { .. } => "memory",
            ExternKind::Table => "table",
            ExternKind::Global => "global",
            ExternKind::Other => "other",
        }
    }
}

/// One import of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportDesc {
    pub module: String,
    pub name: String,
    pub kind: ExternKind,
}

/// One export of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDesc {
    pub name: String,
    pub kind: ExternKind,
}
