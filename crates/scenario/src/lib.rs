//! pwconf's scenarios: the format of what a proxy would see (HTTP streams, TCP
//! connections, time passing, reconfigurations, foreign-function calls) and what it must
//! observe, and the engine that plays one on a host and judges what the host observed.
//!
//! One job: scenarios, host-neutral. Its neighbours: `pwconf-config` gives the
//! configurations it resolves ([`config`]); a host implements the seam [`HostUnderTest`]
//! (the reference host in `pwconf-host`, other hosts behind the host-under-test protocol)
//! and reports a [`RunReport`]; `pwconf-suite` and the CLI load scenarios and run them.
//!
//! - [`model`]: the format's types; [`parse`](mod@parse): reading them, and the schema.
//! - [`host`]: the seam a host implements; [`observe`]: what it reports.
//! - [`play`](mod@play): steps to seam calls; [`check`](mod@check): expectations judged.

pub mod check;
pub mod config;
pub mod host;
pub mod model;
pub mod observe;
pub mod parse;
pub mod play;

pub use check::Check;
pub use config::{ConfigSource, ConfigSourceError};
pub use host::{HostError, HostUnderTest, Start};
pub use model::{Scenario, Step};
pub use observe::RunReport;
pub use parse::{ScenarioError, load, parse, parse_beside, schema};
