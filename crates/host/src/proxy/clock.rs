//! Time on one thread: the virtual clock (or the real one), the guests' view of it, and
//! ticks, which fire as the clock passes them and are re-armed after each (rules K1, K2).

use std::collections::BTreeMap;

use pwconf_abi::types::LogLevel;

use super::thread::ThreadState;

/// Ticks one `advance` runs on a thread before the rest collapse. Envoy's tick timer is
/// re-armed only after its callback returns, so a loop that falls behind fires a missed
/// tick once, late, not once per missed period; past this many ticks in one step pwconf
/// does the same (each timer still due fires once, at the step's end), which bounds a
/// huge `advance_time` under a 1 ms period to about 10k callbacks instead of millions.
pub(super) const MAX_TICKS_PER_ADVANCE: usize = 10_000;

/// Virtual wall-clock start: 2026-01-01T00:00:00Z, so guests see a plausible date.
pub(super) const EPOCH_NS: u64 = 1_767_225_600_000_000_000;

impl ThreadState {
    pub(super) fn sync_clocks(&mut self) {
        let (now, monotonic) = match self.real_clock {
            Some((start, epoch)) => {
                let elapsed = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
                self.clock_ms = self.clock_ms.max(elapsed / 1_000_000);
                (epoch.saturating_add(elapsed), elapsed)
            }
            None => (EPOCH_NS + self.clock_ms * 1_000_000, self.clock_ms * 1_000_000),
        };
        for vm in &mut self.vms {
            let state = vm.state();
            state.now_ns = now;
            state.monotonic_ns = monotonic;
        }
    }

    /// On the real clock, sleeps until `ms` after the thread started; on the virtual clock
    /// time simply jumps there.
    pub(super) fn wait_until(&self, ms: u64) {
        if let Some((start, _)) = self.real_clock {
            let at = start + std::time::Duration::from_millis(ms);
            let now = std::time::Instant::now();
            if at > now {
                std::thread::sleep(at - now);
            }
        }
    }

    /// Keeps one timer per root with a tick period; a changed period restarts it (K2).
    pub(super) fn schedule_ticks(&mut self) {
        let mut wanted = BTreeMap::new();
        for (i, vm) in self.vms.iter_mut().enumerate() {
            if vm.failed.is_some() {
                continue;
            }
            for (root, period) in vm.state().tick_periods.clone() {
                wanted.insert((i, root), period);
            }
        }
        self.ticks.retain(|k, (_, p)| wanted.get(k) == Some(p));
        for (k, period) in wanted {
            self.ticks.entry(k).or_insert((self.clock_ms + period, period));
        }
    }

    pub(super) fn advance(&mut self, millis: u64) {
        let target = self.clock_ms.saturating_add(millis);
        let mut fired = 0usize;
        loop {
            self.schedule_ticks();
            // Callout answers due before the next tick come first.
            if let Some(due) = self.next_callout_due().filter(|d| *d <= target) {
                let next_tick = self.ticks.values().map(|(d, _)| *d).min();
                if next_tick.is_none_or(|t| due <= t) {
                    self.wait_until(due);
                    self.clock_ms = self.clock_ms.max(due);
                    self.sync_clocks();
                    self.deliver_callouts();
                    continue;
                }
            }
            let next = self
                .ticks
                .iter()
                .filter(|(_, (due, _))| *due <= target)
                .min_by_key(|(_, (due, _))| *due)
                .map(|(k, (due, period))| (*k, *due, *period));
            let Some(((vm, root), mut due, period)) = next else {
                break;
            };
            if fired >= MAX_TICKS_PER_ADVANCE {
                // Collapsed: this timer's missed periods up to `target` become one tick.
                let missed = (target - due) / period.max(1);
                due = target;
                if let Some(v) = self.vms.get_mut(vm) {
                    let state = v.state();
                    let acting = state.current;
                    state.current = root;
                    state.log(
                        LogLevel::Warn,
                        format!(
                            "tick timer of root context {root} fell {missed} period(s) behind after \
                             {MAX_TICKS_PER_ADVANCE} ticks in one step; they fire once, as Envoy's \
                             re-armed timer does"
                        ),
                    );
                    state.current = acting;
                }
            }
            fired += 1;
            self.wait_until(due);
            self.clock_ms = self.clock_ms.max(due);
            self.sync_clocks();
            // Re-armed after the tick, as Envoy does (rule K1).
            self.ticks.insert((vm, root), (due + period, period));
            if let Some(v) = self.vms.get_mut(vm) {
                let _ = v.call("proxy_on_tick", root, &[root as i32]);
            }
            self.poll_streams();
        }
        self.wait_until(target);
        self.clock_ms = self.clock_ms.max(target);
        self.sync_clocks();
    }
}
