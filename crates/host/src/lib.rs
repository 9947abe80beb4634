//! pwconf's reference host: Envoy's Wasm model, engine-neutral.
//!
//! One job: be a proxy for Proxy-Wasm plugins. Hostcalls are written once against the
//! backend's `Caller` and registered per ABI version from `spec/` ([`hostcalls`]); VMs,
//! root and stream contexts ([`vm`], [`state`]), the HTTP and TCP filter lifecycles
//! ([`http`], [`tcp`]) and the main/worker threads ([`proxy`]) follow Envoy.
//!
//! Neighbours: below it `pwconf-backend` (the engines, handed to it as
//! [`proxy::Backends`]; it knows none by name), `pwconf-abi` (the ABI from `spec/`) and
//! `pwconf-config` (configurations); beside it `pwconf-scenario`, whose host seam it
//! implements ([`ReferenceHost`]); above it the suite and the CLI.

mod breakage;
pub mod hostcalls;
pub mod http;
pub mod pairs;
pub mod proxy;
mod reference;
pub mod shared;
pub mod state;
pub mod tcp;
pub mod trace;
pub mod vm;

#[cfg(feature = "breakage")]
pub use breakage::Breakage;
pub use reference::ReferenceHost;
