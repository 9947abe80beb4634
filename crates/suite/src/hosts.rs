//! The hosts the suite runs trials on by itself: the reference host on a backend of this
//! build, and a stand-in for one that cannot be made.

use pwconf_scenario::{HostError, HostUnderTest, RunReport, Start, host, model};

/// The reference host on backend `name` (created once per process and shared by every
/// trial, so its compiled modules are too).
///
/// # Errors
/// The backend is not in this build or cannot start.
pub fn reference_host(name: &str) -> Result<pwconf_host::ReferenceHost, String> {
    let backend = pwconf_engines::shared(name).map_err(|e| e.to_string())?;
    Ok(pwconf_host::ReferenceHost::new(
        pwconf_host::proxy::Backends::Only(backend),
    ))
}

/// A host that cannot be made: every trial on it fails with the reason.
pub(crate) struct Unavailable(pub(crate) String);

impl Unavailable {
    fn error<T>(&self) -> Result<T, HostError> {
        Err(HostError::Failed {
            message: self.0.clone(),
        })
    }
}

impl HostUnderTest for Unavailable {
    fn start(&mut self, _: &Start) -> Result<(), HostError> {
        self.error()
    }
    fn http(&mut self, _: &host::HttpExchange) -> Result<(), HostError> {
        self.error()
    }
    fn tcp(&mut self, _: &host::TcpScript) -> Result<(), HostError> {
        self.error()
    }
    fn advance_time(&mut self, _: u64) -> Result<(), HostError> {
        self.error()
    }
    fn reconfigure(&mut self, _: &model::Reconfigure) -> Result<(), HostError> {
        self.error()
    }
    fn foreign_function(&mut self, _: &model::ForeignCall) -> Result<(), HostError> {
        self.error()
    }
    fn finish(&mut self) -> Result<RunReport, HostError> {
        self.error()
    }
}
