//! Foreign functions: `proxy_call_foreign_function` against a small registry of host
//! extensions (documented in the README), the way Envoy exposes its own (for example
//! `clear_route_cache`).

use pwconf_abi::types::Status;
use pwconf_backend::Val;

use super::{Answer, Call, params};

/// A host extension: arguments in, results out, or the status it answers.
pub type Foreign = fn(&[u8]) -> Result<Vec<u8>, Status>;

/// The registry, by name.
pub const FOREIGN_FUNCTIONS: &[(&str, Foreign)] = &[
    // Returns its arguments unchanged.
    ("pwconf.echo", |args| Ok(args.to_vec())),
    // Returns its arguments reversed, so a guest can tell a real call from an echo.
    ("pwconf.reverse", |args| Ok(args.iter().rev().copied().collect())),
    // Always fails with INTERNAL_FAILURE: a foreign function's own status is what the
    // hostcall answers.
    ("pwconf.fail", |_| Err(Status::InternalFailure)),
    // Envoy's replacement for ABI 0.1.0's proxy_clear_route_cache; pwconf has no route
    // cache, so it only answers OK.
    ("clear_route_cache", |_| Ok(Vec::new())),
];

/// Calls a registered extension: name and arguments are read first (INVALID_MEMORY_ACCESS),
/// then an unknown name is NOT_FOUND; the results are handed back only when the guest
/// gave a result pointer (Envoy's host).
pub fn proxy_call_foreign_function(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (name_data, name_size, arguments_data, arguments_size, return_results_data, return_results_size): (
        u32,
        u32,
        u32,
        u32,
        u32,
        u32,
    ) = params(args);
    let name = call.read(name_data, name_size)?;
    let arguments = call.read(arguments_data, arguments_size)?;
    let function = FOREIGN_FUNCTIONS
        .iter()
        .find(|(n, _)| n.as_bytes() == name.as_slice())
        .map(|(_, f)| *f)
        .ok_or(Status::NotFound)?;
    let results = function(&arguments)?;
    if return_results_data != 0 {
        call.return_bytes(&results, return_results_data, return_results_size)?;
    }
    Ok(())
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] =
    &[("proxy_call_foreign_function", proxy_call_foreign_function)];
