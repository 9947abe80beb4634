//! The Proxy-Wasm ABI model: `spec/` loaded as typed data, the ABI's enums as Rust types,
//! and engine-neutral inspection of guest modules.
//!
//! Everything here reads `spec/` (embedded at build time); nothing here knows about any
//! Wasm engine.
//!
//! One job: the ABI as data. Neighbours: it reads `spec/`; the host, the suite, the
//! reports and the CLI read the ABI from it. It depends on no other pwconf crate.

pub mod inspect;
pub mod phases;
pub mod spec;
pub mod types;
pub mod version;

pub use spec::{Spec, SpecError, SpecIssue};
pub use version::AbiVersion;
