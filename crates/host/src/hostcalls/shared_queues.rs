//! Shared queues: `proxy_register_shared_queue`, `proxy_resolve_shared_queue`,
//! `proxy_enqueue_shared_queue`, `proxy_dequeue_shared_queue`. Queues are keyed by
//! (vm_id, name) and shared by every thread; an enqueue schedules `proxy_on_queue_ready` on
//! the registering root's thread, delivered after the current callback (rules Q1-Q5).

use pwconf_backend::Val;

use super::{Answer, Call, arg};
use crate::shared::QueueOwner;

/// Creates or reopens the caller's `(vm_id, name)` queue and routes its notifications to
/// the acting root.
pub fn proxy_register_shared_queue(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let name = call.read(arg(args, 0), arg(args, 1))?;
    let state = call.state()?;
    // Notifications go to the acting root; a queue registered outside any root gets none.
    let (thread, vm) = state.home;
    let owner = QueueOwner {
        thread,
        vm,
        root: state.acting_root(),
    };
    let id = state.shared.register_queue(&state.vm_id, &name, owner)?;
    call.write_u32(arg(args, 2), id)
}

/// Finds a queue of a vm_id (empty: the caller's own).
pub fn proxy_resolve_shared_queue(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let vm_id = call.read(arg(args, 0), arg(args, 1))?;
    let name = call.read(arg(args, 2), arg(args, 3))?;
    let state = call.state()?;
    let vm_id = if vm_id.is_empty() {
        state.vm_id.clone()
    } else {
        String::from_utf8_lossy(&vm_id).into_owned()
    };
    let id = state.shared.resolve_queue(&vm_id, &name)?;
    call.write_u32(arg(args, 4), id)
}

pub fn proxy_enqueue_shared_queue(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let value = call.read(arg(args, 1), arg(args, 2))?;
    call.state()?.shared.enqueue(arg(args, 0), value)?;
    Ok(())
}

pub fn proxy_dequeue_shared_queue(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let item = call.state()?.shared.dequeue(arg(args, 0))?;
    call.return_bytes(&item, arg(args, 1), arg(args, 2))
}
