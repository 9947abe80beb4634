// The run's clock: the protocol's virtual clock (from 2026-01-01T00:00:00Z, moving only
// with `advance`) or the system clock.
package main

import "time"

// 2026-01-01T00:00:00Z in nanoseconds, where the protocol's virtual clock starts.
const epochNanos = 1_767_225_600_000_000_000

type runClock struct {
	ms        uint64
	realStart *time.Time
}

func (c *runClock) realtimeNanos() int64 {
	if c.realStart != nil {
		return time.Now().UnixNano()
	}
	return epochNanos + int64(c.ms)*1_000_000
}

// monotonicNanos starts an hour in, as a proxy's steady clock is well past zero (Go's
// runtime refuses to start on a zero reading).
func (c *runClock) monotonicNanos() int64 {
	const hour = int64(time.Hour)
	if c.realStart != nil {
		return hour + int64(time.Since(*c.realStart))
	}
	return hour + int64(c.ms)*1_000_000
}

// moveTo sets the clock to ms since the start (waiting for it on the real clock).
func (c *runClock) moveTo(ms uint64) {
	if c.realStart != nil {
		if d := time.Until(c.realStart.Add(time.Duration(ms) * time.Millisecond)); d > 0 {
			time.Sleep(d)
		}
	}
	if ms > c.ms {
		c.ms = ms
	}
}
