//! The registry of Wasm engines: the one place that knows which backends this build has.
//! Adding an engine is a crate under `runtimes/`, a feature and one line below.
//!
//! One job: which engines this build has. Neighbours: each `runtimes/*` crate gives its
//! [`Registration`]; the suite, the CLI and the benches pick backends here and hand them to
//! the host, which never names an engine.

use pwconf_backend::{Backend, EngineConfig, Registration, WasmError};

/// Every backend compiled into this build, in a stable order.
pub const REGISTRATIONS: &[Registration] = &[
    #[cfg(feature = "wasmtime")]
    pwconf_wasmtime::REGISTRATION,
    #[cfg(feature = "wasmer")]
    pwconf_wasmer::REGISTRATION,
    #[cfg(feature = "wasmi")]
    pwconf_wasmi::REGISTRATION,
];

/// The backend named `name` was not compiled into this build.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("unknown backend \"{name}\" (this build has: {known})")]
    Unknown { name: String, known: String },
    #[error("backend {name} could not start: {source}")]
    Create {
        name: String,
        #[source]
        source: WasmError,
    },
}

/// The names of the backends in this build.
pub fn names() -> Vec<&'static str> {
    REGISTRATIONS.iter().map(|r| r.name).collect()
}

/// The registration of `name`.
///
/// # Errors
/// [`RegistryError::Unknown`] listing the backends this build has.
pub fn registration(name: &str) -> Result<&'static Registration, RegistryError> {
    REGISTRATIONS
        .iter()
        .find(|r| r.name == name)
        .ok_or_else(|| RegistryError::Unknown {
            name: name.to_string(),
            known: names().join(", "),
        })
}

/// Creates the backend `name`.
///
/// # Errors
/// An unknown name, or an engine that cannot start on this machine.
pub fn create(name: &str, config: &EngineConfig) -> Result<Box<dyn Backend>, RegistryError> {
    let reg = registration(name)?;
    (reg.create)(config).map_err(|source| RegistryError::Create {
        name: name.to_string(),
        source,
    })
}

/// Resolves a user's backend choice: a name, or `all` for every backend of this build.
///
/// # Errors
/// As [`registration`] for an unknown name.
pub fn select(choice: &str) -> Result<Vec<&'static Registration>, RegistryError> {
    if choice == "all" {
        return Ok(REGISTRATIONS.iter().collect());
    }
    Ok(vec![registration(choice)?])
}

/// The backend `name`, created once per process with the default settings and shared by
/// every caller: engines are thread-safe, and one engine lets the host reuse what it
/// compiled (its module cache is keyed by the engine's fingerprint).
///
/// # Errors
/// As [`create`].
pub fn shared(name: &str) -> Result<std::sync::Arc<dyn Backend>, RegistryError> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static SHARED: OnceLock<Mutex<HashMap<&'static str, Arc<dyn Backend>>>> = OnceLock::new();
    let reg = registration(name)?;
    let map = SHARED.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = map.get(reg.name) {
        return Ok(found.clone());
    }
    let backend: Arc<dyn Backend> = Arc::from(create(name, &EngineConfig::default())?);
    map.insert(reg.name, backend.clone());
    Ok(backend)
}

/// Every backend of this build, shared as [`shared`] makes them.
///
/// # Errors
/// The first engine that cannot start.
pub fn all_shared() -> Result<Vec<std::sync::Arc<dyn Backend>>, RegistryError> {
    REGISTRATIONS.iter().map(|r| shared(r.name)).collect()
}
