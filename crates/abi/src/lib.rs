//! The Proxy-Wasm ABI model: `spec/` loaded as typed data, the ABI's enums as Rust types,
//! and engine-neutral inspection of guest modules.
//!
//! Everything here reads `spec/` (embedded at build time); nothing here knows about any
//! Wasm engine.

pub mod inspect;
pub mod spec;
pub mod types;
pub mod version;

pub use spec::{Spec, SpecError, SpecIssue};
pub use version::AbiVersion;
