//! The shared key-value store: `proxy_get_shared_data`, `proxy_set_shared_data`, scoped by
//! the calling VM's vm_id and shared by all its instances on every thread.

use pwconf_abi::types::Status;
use pwconf_backend::Val;

use super::{Answer, Call, params};

/// Hands out a value and its CAS; an unknown key is `NOT_FOUND` (rule SD1).
pub fn proxy_get_shared_data(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (key_data, key_size, return_value_data, return_value_size, return_cas): (u32, u32, u32, u32, u32) =
        params(args);
    let key = call.read(key_data, key_size)?;
    let state = call.state()?;
    let (value, cas) = state.shared.get(&state.vm_id, &key).ok_or(Status::NotFound)?;
    call.return_bytes(&value, return_value_data, return_value_size)?;
    call.write_u32(return_cas, cas)
}

/// Stores a value under compare-and-swap (rules SD2-SD4).
pub fn proxy_set_shared_data(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (key_data, key_size, value_data, value_size, cas): (u32, u32, u32, u32, u32) = params(args);
    let key = call.read(key_data, key_size)?;
    let value = call.read(value_data, value_size)?;
    let state = call.state()?;
    state.shared.set(&state.vm_id, &key, value, cas)?;
    Ok(())
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("proxy_get_shared_data", proxy_get_shared_data),
    ("proxy_set_shared_data", proxy_set_shared_data),
];
