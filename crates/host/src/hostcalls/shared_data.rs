//! The shared key-value store: `proxy_get_shared_data`, `proxy_set_shared_data`, scoped by
//! the calling VM's vm_id and shared by all its instances on every thread.

use pwconf_abi::types::Status;
use pwconf_backend::Val;

use super::{Answer, Call, arg};

/// Hands out a value and its CAS; an unknown key is `NOT_FOUND` (rule SD1).
pub fn proxy_get_shared_data(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let key = call.read(arg(args, 0), arg(args, 1))?;
    let state = call.state()?;
    let (value, cas) = state.shared.get(&state.vm_id, &key).ok_or(Status::NotFound)?;
    call.return_bytes(&value, arg(args, 2), arg(args, 3))?;
    call.write_u32(arg(args, 4), cas)
}

/// Stores a value under compare-and-swap (rules SD2-SD4).
pub fn proxy_set_shared_data(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let key = call.read(arg(args, 0), arg(args, 1))?;
    let value = call.read(arg(args, 2), arg(args, 3))?;
    let cas = arg(args, 4);
    let state = call.state()?;
    state.shared.set(&state.vm_id, &key, value, cas)?;
    Ok(())
}
