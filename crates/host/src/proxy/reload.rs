//! `FAIL_RELOAD` (rule F4): a failed VM is rebuilt from the same module after its backoff,
//! its live plugins started in it again and the filters pointed at it.

use std::collections::BTreeMap;

use pwconf_abi::types::LogLevel;

use super::report::StartFailure;
use super::thread::ThreadState;
use crate::state::{ContextKind, PluginInfo};

impl ThreadState {
    /// Rebuilds the failed VMs of `FAIL_RELOAD` plugins whose backoff has passed, before a
    /// new stream needs them (rule F4): a fresh VM from the same module, every live plugin
    /// of the old one started in it again, the filters pointed at it. The old VM stays,
    /// failed, for the streams that were using it. The wait is the plugin's base interval,
    /// doubled for each earlier reload, up to its maximum; until then the plugin fails
    /// closed.
    pub(super) fn reload_failed_vms(&mut self) {
        let failed: Vec<usize> = self
            .http_filters
            .iter()
            .chain(&self.network_filters)
            .filter(|f| f.reload.is_some())
            .map(|f| f.vm)
            .filter(|vm| self.vms.get(*vm).is_some_and(|v| v.failed.is_some()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for old in failed {
            let Some(policy) = self
                .http_filters
                .iter()
                .chain(&self.network_filters)
                .find(|f| f.vm == old)
                .and_then(|f| f.reload)
            else {
                continue;
            };
            let Some((plan, reloads)) = self.lineage.get(old).cloned() else {
                continue;
            };
            let base = u64::try_from(policy.base_interval.as_millis()).unwrap_or(u64::MAX);
            let max = u64::try_from(policy.max_interval.as_millis()).unwrap_or(u64::MAX);
            let wait = base.saturating_mul(1u64 << reloads.min(32)).min(max);
            if self.clock_ms < self.vms[old].failed_at_ms.saturating_add(wait) {
                continue;
            }
            let new = match self.new_vm(&plan, reloads + 1) {
                Ok(new) => new,
                Err(e) => {
                    self.start_failures.push(StartFailure {
                        thread: self.name.clone(),
                        plugin: plan.info.name.clone(),
                        error: format!("reload: {e}"),
                    });
                    // Counts as a new failure: the next attempt waits a full interval.
                    self.vms[old].failed_at_ms = self.clock_ms;
                    continue;
                }
            };
            // The live plugins of the old VM: those with a root context.
            let old_state = self.vms[old].state();
            let mut live: Vec<usize> = old_state
                .contexts
                .values()
                .filter(|c| c.kind == ContextKind::Root)
                .map(|c| c.plugin)
                .collect();
            live.sort_unstable();
            live.dedup();
            let infos: Vec<(usize, PluginInfo)> = live
                .into_iter()
                .filter_map(|i| old_state.plugins.get(i).cloned().map(|p| (i, p)))
                .collect();
            let mut moved = BTreeMap::new();
            for (old_index, info) in infos {
                let new_index = self.vms[new].state().plugins.len();
                let name = info.name.clone();
                match self.vms[new].add_plugin(info) {
                    Ok(root) => {
                        moved.insert(old_index, (new_index, Some(root)));
                    }
                    Err(e) => {
                        moved.insert(old_index, (new_index, None));
                        self.start_failures.push(StartFailure {
                            thread: self.name.clone(),
                            plugin: name,
                            error: format!("reload: {e}"),
                        });
                    }
                }
            }
            let message = format!("the failed VM was reloaded (reload {})", reloads + 1);
            let filters = self
                .http_filters
                .iter_mut()
                .chain(self.network_filters.iter_mut());
            for filter in filters.filter(|f| f.vm == old) {
                if let Some((index, root)) = moved.get(&filter.plugin_index) {
                    filter.vm = new;
                    filter.plugin_index = *index;
                    filter.root = *root;
                }
            }
            self.vms[new].state().log(LogLevel::Warn, message);
        }
        self.schedule_ticks();
    }
}
