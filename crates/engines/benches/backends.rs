//! Per backend: compile, artifact load, instantiate, and the cost of one hostcall that
//! copies 64 bytes out of guest memory, through pwconf's neutral layer and, in the same
//! run, written directly on the engine's own API (the floor). The ratio of the two
//! `hostcall_read64` results is what the abstraction costs (goal: at most 1.5x).
//!
//! `<engine>/module/compile_sdk` compiles a real SDK-built module (the Rust SDK's
//! headers filter, ~125 KB, built by `scripts/build-guests`); without it that bench is not run
//! and says so. `PWCONF_BENCH_QUICK=1` shortens every measurement.
//!
//! `cargo bench -p pwconf-engines -- hostcall` runs only the ratio benches.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pwconf_backend::benchkit::quick;
use pwconf_backend::testkit::{self, ProbeState};
use pwconf_backend::{EngineConfig, Limits, Val};

/// Host calls per guest entry in the hostcall benches, so the cost of entering the guest
/// is spread thin and the host call dominates.
const CALLS_PER_ENTRY: i32 = 1000;
fn measurement(normal: Duration) -> Duration {
    if quick() { Duration::from_secs(1) } else { normal }
}

fn warm_up() -> Duration {
    if quick() {
        Duration::from_millis(300)
    } else {
        Duration::from_secs(1)
    }
}

fn sdk_module() -> Option<Vec<u8>> {
    pwconf_backend::benchkit::sdk_module(env!("CARGO_MANIFEST_DIR"), "the compile_sdk benches")
}

fn backends(c: &mut Criterion) {
    let wasm = match testkit::wat(testkit::PROBE_WAT) {
        Ok(w) => w,
        Err(e) => panic!("probe module: {e}"),
    };
    let sdk = sdk_module();
    for reg in pwconf_engines::REGISTRATIONS {
        let name = reg.name;
        let backend = (reg.create)(&EngineConfig::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let module = backend.compile(&wasm).unwrap_or_else(|e| panic!("{name}: {e}"));
        let artifact = module.serialize().unwrap_or_else(|e| panic!("{name}: {e}"));
        let linked = module
            .link(&testkit::probe_host_funcs())
            .unwrap_or_else(|e| panic!("{name}: {e}"));

        let mut group = c.benchmark_group(format!("{name}/module"));
        group
            .sample_size(if quick() { 10 } else { 20 })
            .warm_up_time(warm_up())
            .measurement_time(measurement(Duration::from_secs(3)));
        group.bench_function("compile", |b| b.iter(|| backend.compile(black_box(&wasm))));
        if let Some(sdk) = &sdk {
            group.sample_size(10);
            group.bench_function("compile_sdk", |b| b.iter(|| backend.compile(black_box(sdk))));
            group.sample_size(if quick() { 10 } else { 20 });
        }
        group.bench_function("artifact_load", |b| {
            b.iter(|| backend.load_artifact(black_box(&artifact)))
        });
        group.bench_function("instantiate", |b| {
            b.iter(|| linked.instantiate(Box::new(ProbeState::default()), &Limits::default()))
        });
        group.finish();

        let mut group = c.benchmark_group(format!("{name}/hostcall_read64"));
        group
            .throughput(Throughput::Elements(CALLS_PER_ENTRY as u64))
            .warm_up_time(warm_up())
            .measurement_time(measurement(Duration::from_secs(3)));
        let mut instance = linked
            .instantiate(Box::new(ProbeState::default()), &Limits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let read_loop = instance
            .func("read_loop")
            .unwrap_or_else(|| panic!("{name}: no read_loop"));
        let expected = testkit::data_checksum().wrapping_mul(CALLS_PER_ENTRY);
        group.bench_function("pwconf", |b| {
            b.iter(|| {
                let mut out = [Val::I32(0)];
                let r = instance.call(&read_loop, &[Val::I32(CALLS_PER_ENTRY)], &mut out);
                assert!(r.is_ok() && out[0] == Val::I32(expected), "{name}: {r:?} {out:?}");
            })
        });
        let mut raw = (reg.raw_baseline)(testkit::RawCase::Read64)
            .unwrap_or_else(|e| panic!("{name} raw baseline: {e}"));
        group.bench_function("raw", |b| {
            b.iter(|| {
                let r = raw(CALLS_PER_ENTRY);
                assert!(matches!(r, Ok(v) if v == expected), "{name} raw: {r:?}");
            })
        });
        group.finish();
    }
}

criterion_group!(benches, backends);
criterion_main!(benches);
