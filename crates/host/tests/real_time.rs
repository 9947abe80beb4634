//! The real clock: with `real_time` an `advance_time` step takes that long on the wall
//! clock and ticks fire as it passes; the virtual clock gives the same ticks at once.

use std::time::{Duration, Instant};

use pwconf_host::ReferenceHost;
use pwconf_host::proxy::Backends;
use pwconf_scenario as scenario;
use pwconf_scenario::observe::TraceEvent;

const SCENARIO: &str = r#"
config:
  http_filters:
    - name: ticker
      vm_config:
        runtime: pwconf.wasmi
        code:
          local:
            inline_string: |
              (module
                (import "env" "proxy_set_tick_period_milliseconds" (func $period (param i32) (result i32)))
                (memory (export "memory") 1)
                (func (export "malloc") (param i32) (result i32) (i32.const 1024))
                (func (export "proxy_on_configure") (param i32 i32) (result i32)
                  (drop (call $period (i32.const 20)))
                  (i32.const 1))
                (func (export "proxy_on_tick") (param i32))
                (func (export "proxy_abi_version_0_2_1")))
workers: 1
steps:
  - advance_time: 100
"#;

fn ticks(real_time: bool) -> (usize, Duration) {
    let scenario = scenario::parse(SCENARIO, "real_time.yaml").unwrap_or_else(|e| panic!("{e}"));
    let source = scenario::ConfigSource {
        config: None,
        module: None,
    };
    let config = scenario
        .resolve_config(std::path::Path::new("real_time.yaml"), &source)
        .unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let backend = pwconf_engines::shared("wasmi").unwrap_or_else(|e| panic!("{e}"));
    let mut host = ReferenceHost::new(Backends::Only(backend));
    let (report, _) = scenario
        .run(&mut host, &scenario.start(config, 1, real_time))
        .unwrap_or_else(|e| panic!("{e}"));
    let elapsed = started.elapsed();
    let ticks = report
        .trace
        .iter()
        .flat_map(|t| &t.events)
        .filter(|e| matches!(e, TraceEvent::Callback { name, .. } if name == "proxy_on_tick"))
        .count();
    (ticks, elapsed)
}

#[test]
fn virtual_clock_ticks_exactly() {
    // Every 20 ms over 100 ms, re-armed after each tick.
    assert_eq!(ticks(false).0, 5);
}

#[test]
fn real_clock_waits_and_ticks() {
    let (count, elapsed) = ticks(true);
    assert!(elapsed >= Duration::from_millis(100), "the step took {elapsed:?}");
    // On a busy machine a late tick re-arms late, so fewer may fit; never more.
    assert!((1..=5).contains(&count), "{count} ticks");
}
