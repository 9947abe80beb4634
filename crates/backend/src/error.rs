//! The normalised outcome taxonomy: the same guest fails with the same [`OutcomeKind`] on
//! every engine. Engine wording is kept only as a message for reports.

use std::fmt;

use crate::types::FuncType;

/// Why a guest stopped abnormally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrapKind {
    /// A load or store outside linear memory.
    OutOfBounds,
    /// A table access outside the table.
    TableOutOfBounds,
    /// `unreachable` executed.
    Unreachable,
    /// The call stack was exhausted.
    StackOverflow,
    /// Division by zero, integer overflow, or an invalid float-to-int conversion.
    IntegerTrap,
    /// `call_indirect` to a null entry or with the wrong signature.
    IndirectCall,
    /// The per-call CPU budget ran out.
    BudgetExhausted,
    /// A host function aborted the guest ([`crate::HostTrap`]).
    Host,
    /// Anything the engine reports that fits none of the above.
    Other,
}

/// The name of every outcome pwconf reports, stable across engines and releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutcomeKind {
    OutOfBounds,
    TableOutOfBounds,
    Unreachable,
    StackOverflow,
    IntegerTrap,
    IndirectCall,
    BudgetExhausted,
    MemoryLimit,
    HostError,
    LinkError,
    InvalidModule,
    ArtifactError,
    MissingExport,
    BadCall,
    OtherTrap,
    EngineError,
}

impl OutcomeKind {
    pub fn name(&self) -> &'static str {
        match self {
            OutcomeKind::OutOfBounds => "out_of_bounds",
            OutcomeKind::TableOutOfBounds => "table_out_of_bounds",
            OutcomeKind::Unreachable => "unreachable",
            OutcomeKind::StackOverflow => "stack_overflow",
            OutcomeKind::IntegerTrap => "integer_trap",
            OutcomeKind::IndirectCall => "indirect_call",
            OutcomeKind::BudgetExhausted => "budget_exhausted",
            OutcomeKind::MemoryLimit => "memory_limit",
            OutcomeKind::HostError => "host_error",
            OutcomeKind::LinkError => "link_error",
            OutcomeKind::InvalidModule => "invalid_module",
            OutcomeKind::ArtifactError => "artifact_error",
            OutcomeKind::MissingExport => "missing_export",
            OutcomeKind::BadCall => "bad_call",
            OutcomeKind::OtherTrap => "other_trap",
            OutcomeKind::EngineError => "engine_error",
        }
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl TrapKind {
    pub fn outcome(&self) -> OutcomeKind {
        match self {
            TrapKind::OutOfBounds => OutcomeKind::OutOfBounds,
            TrapKind::TableOutOfBounds => OutcomeKind::TableOutOfBounds,
            TrapKind::Unreachable => OutcomeKind::Unreachable,
            TrapKind::StackOverflow => OutcomeKind::StackOverflow,
            TrapKind::IntegerTrap => OutcomeKind::IntegerTrap,
            TrapKind::IndirectCall => OutcomeKind::IndirectCall,
            TrapKind::BudgetExhausted => OutcomeKind::BudgetExhausted,
            TrapKind::Host => OutcomeKind::HostError,
            TrapKind::Other => OutcomeKind::OtherTrap,
        }
    }
}

/// An import the host could not satisfy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("missing import {module}.{name} ({kind})")]
    Missing {
        module: String,
        name: String,
        kind: &'static str,
    },
    #[error("import {module}.{name} has signature {found}, the host provides {expected}")]
    Signature {
        module: String,
        name: String,
        expected: FuncType,
        found: FuncType,
    },
}

/// Every way a backend operation can fail.
#[derive(Debug, thiserror::Error)]
pub enum WasmError {
    #[error("invalid module: {0}")]
    InvalidModule(String),
    /// Boxed: link errors carry two signatures and are rare, the rest stays small.
    #[error("link error: {0}")]
    Link(Box<LinkError>),
    #[error("trap ({}): {message}", kind.outcome())]
    Trap { kind: TrapKind, message: String },
    #[error("memory limit: {0}")]
    MemoryLimit(String),
    #[error("artifact rejected: {0}")]
    Artifact(String),
    #[error("no exported function named {0}")]
    MissingExport(String),
    #[error("bad call: {0}")]
    BadCall(String),
    #[error("engine error: {0}")]
    Engine(String),
}

impl WasmError {
    /// The outcome name of this failure.
    pub fn kind(&self) -> OutcomeKind {
        match self {
            WasmError::InvalidModule(_) => OutcomeKind::InvalidModule,
            WasmError::Link(_) => OutcomeKind::LinkError,
            WasmError::Trap { kind, .. } => kind.outcome(),
            WasmError::MemoryLimit(_) => OutcomeKind::MemoryLimit,
            WasmError::Artifact(_) => OutcomeKind::ArtifactError,
            WasmError::MissingExport(_) => OutcomeKind::MissingExport,
            WasmError::BadCall(_) => OutcomeKind::BadCall,
            WasmError::Engine(_) => OutcomeKind::EngineError,
        }
    }

    pub fn trap(kind: TrapKind, message: impl Into<String>) -> WasmError {
        WasmError::Trap {
            kind,
            message: message.into(),
        }
    }
}

impl From<LinkError> for WasmError {
    fn from(err: LinkError) -> WasmError {
        WasmError::Link(Box::new(err))
    }
}
