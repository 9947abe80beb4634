//! Shared queues: `proxy_register_shared_queue`, `proxy_resolve_shared_queue`,
//! `proxy_enqueue_shared_queue`, `proxy_dequeue_shared_queue`. Queues are keyed by
//! (vm_id, name) and shared by every thread; an enqueue schedules `proxy_on_queue_ready` on
//! the registering root's thread, delivered after the current callback (rules Q1-Q5).

use pwconf_backend::Val;

use super::{Answer, Call, params};
use crate::shared::QueueOwner;

/// Creates or reopens the caller's `(vm_id, name)` queue and routes its notifications to
/// the acting root.
pub fn proxy_register_shared_queue(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (name_data, name_size, return_queue_id): (u32, u32, u32) = params(args);
    let name = call.read(name_data, name_size)?;
    let state = call.state()?;
    // Notifications go to the acting root; a queue registered outside any root gets none.
    let (thread, vm) = state.home;
    let owner = QueueOwner {
        thread,
        vm,
        root: state.acting_root(),
    };
    let id = state.shared.register_queue(&state.vm_id, &name, owner)?;
    call.write_u32(return_queue_id, id)
}

/// Finds a queue of a vm_id (empty: the caller's own).
pub fn proxy_resolve_shared_queue(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (vm_id_data, vm_id_size, name_data, name_size, return_queue_id): (u32, u32, u32, u32, u32) =
        params(args);
    let vm_id = call.read(vm_id_data, vm_id_size)?;
    let name = call.read(name_data, name_size)?;
    let state = call.state()?;
    let vm_id = if vm_id.is_empty() {
        state.vm_id.clone()
    } else {
        String::from_utf8_lossy(&vm_id).into_owned()
    };
    let id = state.shared.resolve_queue(&vm_id, &name)?;
    call.write_u32(return_queue_id, id)
}

pub fn proxy_enqueue_shared_queue(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (queue_id, value_data, value_size): (u32, u32, u32) = params(args);
    let value = call.read(value_data, value_size)?;
    call.state()?.shared.enqueue(queue_id, value)?;
    Ok(())
}

pub fn proxy_dequeue_shared_queue(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (queue_id, return_value_data, return_value_size): (u32, u32, u32) = params(args);
    let item = call.state()?.shared.dequeue(queue_id)?;
    call.return_bytes(&item, return_value_data, return_value_size)
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("proxy_register_shared_queue", proxy_register_shared_queue),
    ("proxy_resolve_shared_queue", proxy_resolve_shared_queue),
    ("proxy_enqueue_shared_queue", proxy_enqueue_shared_queue),
    ("proxy_dequeue_shared_queue", proxy_dequeue_shared_queue),
];
