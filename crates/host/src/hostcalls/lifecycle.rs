//! Contexts and their lifetime: `proxy_done`, `proxy_set_effective_context`,
//! `proxy_set_tick_period_milliseconds`.

use pwconf_abi::types::Status;
use pwconf_backend::Val;

use super::{Answer, Call, params};

/// Finishes a root context that answered false to `proxy_on_done` (rules D3, D4). The
/// deletion runs once the current callback returns.
pub fn proxy_done(call: &mut Call<'_>, _args: &[Val]) -> Answer {
    let state = call.state()?;
    let root = state.acting_root();
    if !state.done_pending.remove(&root) {
        return Err(Status::NotFound.into());
    }
    state.done_confirmed.push(root);
    Ok(())
}

/// Acts on another live context for the rest of this callback (rules E1, E2); 0 clears
/// the switch, as Envoy's host does.
pub fn proxy_set_effective_context(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (context_id,): (u32,) = params(args);
    let id = context_id;
    let state = call.state()?;
    if id != 0 && !state.contexts.contains_key(&id) {
        return Err(Status::BadArgument.into());
    }
    // 0 means "no effective context": hostcalls act on the current context again.
    state.effective = (id != 0).then_some(id);
    Ok(())
}

/// Sets (or with 0 clears) the tick period of the acting context's root (rules K1-K3).
pub fn proxy_set_tick_period_milliseconds(call: &mut Call<'_>, args: &[Val]) -> Answer {
    let (tick_period,): (u32,) = params(args);
    let period = u64::from(tick_period);
    let state = call.state()?;
    let root = state.acting_root();
    if root == 0 {
        return Err(Status::BadArgument.into());
    }
    if period == 0 {
        state.tick_periods.remove(&root);
    } else {
        state.tick_periods.insert(root, period);
    }
    Ok(())
}

/// The hostcalls of this file, by ABI name (the table `spec/` is checked against).
pub(super) const HOSTCALLS: &[(&str, super::Impl)] = &[
    ("proxy_done", proxy_done),
    ("proxy_set_effective_context", proxy_set_effective_context),
    (
        "proxy_set_tick_period_milliseconds",
        proxy_set_tick_period_milliseconds,
    ),
];
