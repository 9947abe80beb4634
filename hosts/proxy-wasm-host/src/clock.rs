//! Time as the embedder gives it: the protocol's virtual clock (from 2026-01-01T00:00:00Z,
//! moving only with `advance`) or the system clock, and the ticks the crate leaves to the
//! embedder to fire (it records each root's tick period; the proxy owns the timer).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use proxy_wasm_host::abi::v0_2_1::{Clock, ContextId, Guest};

/// 2026-01-01T00:00:00Z in nanoseconds, where the protocol's virtual clock starts.
const EPOCH_NS: u64 = 1_767_225_600_000_000_000;

/// Milliseconds since the run started; on the real clock also the wall time it began.
pub struct RunClock {
    ms: AtomicU64,
    real: Option<(Instant, u64)>,
}

impl RunClock {
    pub fn new(real: bool) -> Arc<RunClock> {
        let wall = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
            .unwrap_or(EPOCH_NS);
        Arc::new(RunClock {
            ms: AtomicU64::new(0),
            real: real.then(|| (Instant::now(), wall)),
        })
    }

    pub fn now_ms(&self) -> u64 {
        self.ms.load(Ordering::SeqCst)
    }

    /// Moves the clock to `ms` (waiting for it on the real clock).
    fn move_to(&self, ms: u64) {
        if let Some((start, _)) = self.real {
            let at = start + std::time::Duration::from_millis(ms);
            let now = Instant::now();
            if at > now {
                std::thread::sleep(at - now);
            }
        }
        self.ms.fetch_max(ms, Ordering::SeqCst);
    }

    fn elapsed_ns(&self) -> u64 {
        match self.real {
            Some((start, _)) => u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX),
            None => self.now_ms().saturating_mul(1_000_000),
        }
    }
}

impl Clock for RunClock {
    fn realtime_nanos(&self) -> u64 {
        let base = self.real.map_or(EPOCH_NS, |(_, wall)| wall);
        base.saturating_add(self.elapsed_ns())
    }

    fn monotonic_nanos(&self) -> u64 {
        self.elapsed_ns()
    }
}

/// The tick timer of each root: when it next fires and its period, both in ms.
#[derive(Default)]
pub struct Ticks {
    timers: BTreeMap<(usize, u32), (u64, u64, ContextId)>,
}

impl Ticks {
    /// One timer per root with a tick period; a changed period restarts it.
    fn schedule(&mut self, now: u64, roots: &[(usize, ContextId)], guests: &[(String, Guest)]) {
        let mut wanted = BTreeMap::new();
        for &(vm, root) in roots {
            let period = guests[vm]
                .1
                .tick_period(root)
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
            if let Some(p) = period.filter(|p| *p > 0) {
                wanted.insert((vm, root.get()), (p, root));
            }
        }
        self.timers
            .retain(|k, (_, p, _)| wanted.get(k).is_some_and(|(w, _)| w == p));
        for (k, (p, root)) in wanted {
            self.timers.entry(k).or_insert((now.saturating_add(p), p, root));
        }
    }

    /// Advances the clock by `millis`, firing every tick it passes in time order.
    /// Returns the number of ticks whose callback failed.
    pub fn advance(
        &mut self,
        clock: &RunClock,
        millis: u64,
        roots: &[(usize, ContextId)],
        guests: &mut [(String, Guest)],
    ) -> usize {
        let target = clock.now_ms().saturating_add(millis);
        let mut failed = 0;
        loop {
            self.schedule(clock.now_ms(), roots, guests);
            let Some((&key, &(due, period, root))) = self
                .timers
                .iter()
                .filter(|(_, (due, _, _))| *due <= target)
                .min_by_key(|(_, (due, _, _))| *due)
            else {
                break;
            };
            clock.move_to(due);
            self.timers
                .insert(key, (due.saturating_add(period), period, root));
            let guest = &mut guests[key.0].1;
            let (fired, _) = guest.with(crate::embedder::Exchange::default(), |scope| scope.on_tick(root));
            failed += usize::from(fired.is_err());
        }
        clock.move_to(target);
        failed
    }
}
