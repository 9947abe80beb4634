//! What a run observed: the ordered trace of callbacks and hostcalls, and log lines. The
//! types are the scenario crate's (what every host under test reports); the host records
//! into them directly, and only when [`VmState::record_trace`] says something will read
//! the trace: a callback's event costs a name copy and an argument list, a hostcall's
//! likewise, which dominated the host's own cost per request when nothing read them.

pub use pwconf_scenario::observe::{LogLine, TraceEvent};

use crate::state::VmState;

/// Opens a callback's event (its result is filled in by [`close_callback`]); `None` when
/// the trace is not recorded.
pub(crate) fn open_callback(
    state: &mut VmState,
    name: &str,
    args: impl Iterator<Item = i64>,
) -> Option<usize> {
    if !state.record_trace {
        return None;
    }
    state.trace.push(TraceEvent::Callback {
        name: name.to_string(),
        args: args.collect(),
        result: None,
        outcome: None,
    });
    Some(state.trace.len() - 1)
}

/// Fills in the result (or the failure's kind) of an event [`open_callback`] opened.
pub(crate) fn close_callback(
    state: &mut VmState,
    event: Option<usize>,
    result: Option<i64>,
    failure: Option<&str>,
) {
    if let Some(TraceEvent::Callback {
        result: slot,
        outcome,
        ..
    }) = event.and_then(|i| state.trace.get_mut(i))
    {
        *slot = result;
        *outcome = failure.map(str::to_string);
    }
}
