//! What a run observed: the ordered trace of callbacks and hostcalls, and log lines. The
//! types are the scenario crate's (what every host under test reports); the host records
//! into them directly.

pub use pwconf_scenario::observe::{LogLine, TraceEvent};
