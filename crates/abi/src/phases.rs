//! Where a guest may call hostcalls outside a callback (`phases:` in `spec/hostcalls.yaml`):
//! while its start-up entry points run (rule L5) and while its allocator runs (rule M5).

use serde::{Deserialize, Serialize};

/// The hostcalls allowed in each restricted phase; any other traps there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phases {
    /// While `_initialize`, `_start` or `main` runs.
    pub startup: Allowed,
    /// While the guest's allocator runs for a hostcall.
    pub allocator: Allowed,
}

/// Hostcalls allowed by import module (every function of it) or by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allowed {
    #[serde(default)]
    pub modules: Vec<String>,
    #[serde(default)]
    pub hostcalls: Vec<String>,
}

impl Allowed {
    /// Whether `name`, imported from `module`, may be called.
    pub fn allows(&self, module: &str, name: &str) -> bool {
        self.modules.iter().any(|m| m == module) || self.hostcalls.iter().any(|h| h == name)
    }
}
