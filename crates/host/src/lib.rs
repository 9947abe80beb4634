//! pwconf's reference host: Envoy's Wasm model, engine-neutral. Hostcalls are written once
//! against the backend's `Caller` and registered per ABI version from `spec/`; VMs, root
//! and stream contexts, the HTTP and TCP filter lifecycles and the main/worker threads
//! follow Envoy; scenarios script what a proxy would see and check what it observes.

pub mod hostcalls;
pub mod http;
pub mod pairs;
pub mod proxy;
pub mod scenario;
pub mod shared;
pub mod state;
pub mod tcp;
pub mod trace;
pub mod vm;
