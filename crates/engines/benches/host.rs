//! What the reference host costs per backend, each next to its floor in the same run:
//!
//! - `<engine>/hostcall_get_header/{pwconf,raw}` and `<engine>/hostcall_log/{pwconf,raw}`:
//!   a guest loop of 1000 `proxy_get_header_map_value` calls (a 20-byte value handed out
//!   through the guest's allocator) or `proxy_log` calls, through the host's hostcalls, and
//!   the same host function written directly on the engine's API (`raw`).
//! - `<engine>/filter/http_lifecycle` and `<engine>/filter/tcp_10_chunks`: the bench filter
//!   (see `filter/`) through a whole HTTP stream or a TCP connection with 10 data chunks;
//!   `native/filter/*` is the same filter as Rust code with no Wasm (the null-VM floor).
//! - `<engine>/vm_copy{,_sdk}/{warm_copy,instantiate,raw_instantiate}`: a worker's new VM
//!   copy from the shared linked module (instantiate, callback checks, allocator, start-up:
//!   what Envoy does to clone a VM), the instantiation alone through pwconf's backend
//!   layer, and the engine's own bare instantiation; of the bench filter and (`_sdk`) of a
//!   real SDK-built module.
//! - `<engine>/throughput/{1_worker,2_workers}`: HTTP streams through the whole proxy
//!   (main thread dispatching, worker threads with their VM copies), as requests/s.
//!
//! Before them, memory per VM copy is measured (not a time, so not a criterion bench) and
//! written to `target/pwconf-bench/memory.json`.
//!
//! `PWCONF_BENCH_QUICK=1` shortens every measurement (`scripts/bench --quick`).

mod filter;

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, Throughput};
use pwconf_abi::AbiVersion;
use pwconf_backend::benchkit::quick;
use pwconf_backend::testkit::{self, RawCase};
use pwconf_backend::{Backend, EngineConfig, Limits, LinkedModule, Registration};
use pwconf_config::{HostConfig, PluginConfig, VmConfig};
use pwconf_host::hostcalls::host_funcs;
use pwconf_host::http::{FilterRef, HttpStream, Message};
use pwconf_host::proxy::{Backends, Proxy, ProxyOptions};
use pwconf_host::state::{Access, ContextKind, PluginInfo, VmState};
use pwconf_host::tcp::{Side, TcpConnection};
use pwconf_host::vm::Vm;

/// Host calls per guest entry in the hostcall benches, so entering the guest is spread
/// thin and the host call dominates.
const CALLS: i32 = 1000;
const ABI: AbiVersion = AbiVersion::V0_2_1;
/// The real SDK module of the `_sdk` benches (built by `scripts/build-guests`).
fn timing(group: &mut BenchmarkGroup<'_, WallTime>) {
    if quick() {
        group
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1))
            .sample_size(10);
    } else {
        group
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .sample_size(30);
    }
}

fn target_dir() -> PathBuf {
    pwconf_backend::benchkit::target_dir(env!("CARGO_MANIFEST_DIR"))
}

/// The real SDK module, or `None` (with the reason printed) when it was not built.
fn sdk_module() -> Option<Vec<u8>> {
    pwconf_backend::benchkit::sdk_module(env!("CARGO_MANIFEST_DIR"), "the SDK module benches")
}

fn ok<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn plugin(configuration: &[u8]) -> PluginInfo {
    PluginInfo {
        name: "bench".to_string(),
        root_id: String::new(),
        vm_id: "bench".to_string(),
        configuration: Arc::new(configuration.to_vec()),
        fail_open: false,
        reload: None,
    }
}

/// A VM copy as a worker makes it: instantiate, start-up, one plugin's root context.
fn vm_copy(linked: &Arc<dyn LinkedModule>, configuration: &[u8]) -> (Vm, u32) {
    let mut state = VmState::new(ABI, "bench", Arc::new(Vec::new()));
    state.record_trace = false;
    let mut vm = ok("VM start", Vm::start(linked, state, &Limits::default()));
    let root = ok("plugin start", vm.add_plugin(plugin(configuration)));
    (vm, root)
}

fn link(backend: &dyn Backend, wasm: &[u8]) -> Arc<dyn LinkedModule> {
    let module = ok("compile", backend.compile(wasm));
    ok("link", module.link(host_funcs(ABI)))
}

fn pairs(list: &[(&str, &str)]) -> Vec<(Vec<u8>, Vec<u8>)> {
    list.iter()
        .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect()
}

fn request() -> Message {
    Message {
        headers: pairs(&[
            (":method", "GET"),
            (":path", "/api/v1/items?page=2"),
            (":authority", "example.com"),
            (":scheme", "https"),
            ("user-agent", "curl/8.5.0"),
            ("accept", "*/*"),
            ("x-request-id", "0f8fad5b-d9cb-469f-a"),
        ]),
        ..Message::default()
    }
}

fn response() -> Message {
    Message {
        headers: pairs(&[
            (":status", "200"),
            ("content-type", "application/json"),
            ("content-length", "0"),
        ]),
        ..Message::default()
    }
}

fn one_filter(root: u32) -> Vec<FilterRef> {
    vec![FilterRef {
        vm: 0,
        root: Some(root),
        plugin: "bench".to_string(),
        plugin_index: 0,
        fail_open: false,
        reload: None,
    }]
}

/// One HTTP stream through the filter, start to end; keeps the VM's records bounded.
fn http_lifecycle(vms: &mut [Vm], filters: &[FilterRef], request: Message, response: Message) -> HttpStream {
    let mut stream = HttpStream::open(vms, filters, request, response);
    stream.pump(vms);
    assert!(stream.is_over(), "the bench stream did not finish");
    stream.close(vms);
    let state = vms[0].state();
    state.trace.clear();
    state.logs.clear();
    state.context_log.clear();
    stream
}

/// The filter really did its work (a bench of a failing filter would measure nothing).
fn check_filter(vms: &mut [Vm], filters: &[FilterRef], label: &str) {
    let mut stream = HttpStream::open(vms, filters, request(), response());
    stream.pump(vms);
    stream.close(vms);
    let has = |m: &Option<Message>, name: &str| {
        m.as_ref()
            .is_some_and(|m| m.headers.iter().any(|(k, _)| k == name.as_bytes()))
    };
    assert!(
        has(&stream.outcome.upstream_request, "x-pwconf-bench"),
        "{label}: the filter added no request header"
    );
    assert!(
        has(&stream.outcome.downstream_response, "x-served-by"),
        "{label}: the filter set no response header"
    );
    let logged = vms[0].state().logs.iter().any(|l| l.message == "request done");
    assert!(logged, "{label}: the filter logged nothing");
    vms[0].state().logs.clear();
}

fn tcp_chunks() -> Vec<(bool, Vec<u8>)> {
    (0..10)
        .map(|i| (i % 2 == 1, vec![b'a' + i as u8; 1024]))
        .collect()
}

/// One TCP connection with 10 data chunks (alternately from each side), then closed.
fn tcp_connection(vms: &mut [Vm], filters: &[FilterRef], chunks: Vec<(bool, Vec<u8>)>) {
    let mut conn = TcpConnection::open(vms, filters);
    for (upstream, chunk) in chunks {
        conn.data(vms, upstream, chunk, false);
    }
    conn.close(vms, Side::Downstream);
    conn.finish(vms);
    assert_eq!(
        conn.outcome.upstream_received.len(),
        5 * 1024,
        "the bench connection lost data"
    );
    let state = vms[0].state();
    state.trace.clear();
    state.context_log.clear();
}

fn filter_benches(c: &mut Criterion, label: &str, linked: &Arc<dyn LinkedModule>) {
    let (vm, root) = vm_copy(linked, b"");
    let mut vms = vec![vm];
    let filters = one_filter(root);
    check_filter(&mut vms, &filters, label);
    let mut group = c.benchmark_group(format!("{label}/filter"));
    timing(&mut group);
    group.bench_function("http_lifecycle", |b| {
        b.iter_batched(
            || (request(), response()),
            |(req, resp)| http_lifecycle(&mut vms, &filters, req, resp),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("tcp_10_chunks", |b| {
        b.iter_batched(
            tcp_chunks,
            |chunks| tcp_connection(&mut vms, &filters, chunks),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// A workload of `<engine>/workload/<name>`: a module, its plugin configuration, one
/// stream, and what the filter must have done to it (checked once, untimed).
struct Workload {
    name: &'static str,
    wasm: Vec<u8>,
    configuration: &'static [u8],
    request: fn() -> Message,
    response: fn() -> Message,
    check: fn(&HttpStream) -> bool,
}

fn has_header(m: &Option<Message>, name: &str) -> bool {
    m.as_ref()
        .is_some_and(|m| m.headers.iter().any(|(k, _)| k == name.as_bytes()))
}

/// The workloads that rank engines by kind: a real SDK header filter and the 20-header
/// add/get/remove workload (host-call-bound), and a real SDK body rewrite over a 16 KiB
/// body (guest-compute-bound). The SDK ones are left out when not built.
fn workloads() -> Vec<Workload> {
    let guest = |file: &str| {
        pwconf_backend::benchkit::sdk_guest(env!("CARGO_MANIFEST_DIR"), file, "the workload benches")
    };
    let mut out = vec![Workload {
        name: "headers_20",
        wasm: filter::headers20::wasm(),
        configuration: b"",
        request,
        response,
        check: |s| {
            s.outcome.upstream_request.is_some()
                && !has_header(&s.outcome.upstream_request, &filter::headers20::name(0))
        },
    }];
    if let Some(wasm) = guest("guests/rust/headers-0.2.5-wasm32-unknown-unknown.wasm") {
        out.push(Workload {
            name: "sdk_headers",
            wasm,
            configuration: b"from-config",
            request,
            response,
            check: |s| has_header(&s.outcome.downstream_response, "x-pwconf"),
        });
    }
    if let Some(wasm) = guest("guests/rust/body_rewrite-0.2.5-wasm32-unknown-unknown.wasm") {
        out.push(Workload {
            name: "sdk_body_rewrite_16k",
            wasm,
            configuration: b"",
            request,
            response: || Message {
                headers: pairs(&[(":status", "200"), ("content-type", "text/plain")]),
                chunks: (0..64)
                    .map(|_| b"hello world, hello proxy-wasm, ".repeat(8))
                    .collect(),
                ..Message::default()
            },
            check: |s| {
                s.outcome
                    .downstream_response
                    .as_ref()
                    .is_some_and(|m| m.body.starts_with(b"howdy world"))
            },
        });
    }
    out
}

fn workload_benches(c: &mut Criterion, reg: &Registration, backend: &dyn Backend, workloads: &[Workload]) {
    let mut group = c.benchmark_group(format!("{}/workload", reg.name));
    timing(&mut group);
    for w in workloads {
        let linked = link(backend, &w.wasm);
        let (vm, root) = vm_copy(&linked, w.configuration);
        let mut vms = vec![vm];
        let filters = one_filter(root);
        let stream = http_lifecycle(&mut vms, &filters, (w.request)(), (w.response)());
        assert!(
            vms[0].failed.is_none() && (w.check)(&stream),
            "{}/workload/{}: the filter did not do its work: {:?}",
            reg.name,
            w.name,
            vms[0].failed
        );
        group.bench_function(w.name, |b| {
            b.iter_batched(
                || ((w.request)(), (w.response)()),
                |(req, resp)| http_lifecycle(&mut vms, &filters, req, resp),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn hostcall_benches(c: &mut Criterion, reg: &Registration, backend: &dyn Backend) {
    let name = reg.name;
    let probe = testkit::hostcall_probe_wat(("env", "proxy_get_header_map_value"), ("env", "proxy_log"));
    let linked = link(backend, &ok("hostcall probe", testkit::wat(&probe)));
    let (mut vm, root) = vm_copy(&linked, b"");
    let ctx = vm.state().new_context(ContextKind::Http, Some(root), 0);
    if let Some(stream) = vm.state().streams.get_mut(&ctx) {
        stream.maps[0] = Some(testkit::value_pairs());
        stream.map_access[0] = Access::Read;
    }
    let expected = testkit::get_value_loop_result(CALLS);

    let mut group = c.benchmark_group(format!("{name}/hostcall_get_header"));
    timing(&mut group);
    group.throughput(Throughput::Elements(CALLS as u64));
    group.bench_function("pwconf", |b| {
        b.iter(|| {
            let r = vm.call("get_value_loop", ctx, &[CALLS]);
            assert!(
                matches!(r, Ok(Some(v)) if v == i64::from(expected)),
                "{name}: {r:?}"
            );
            vm.state().trace.clear();
        })
    });
    let mut raw = ok("raw baseline", (reg.raw_baseline)(RawCase::GetValue));
    group.bench_function("raw", |b| {
        b.iter(|| {
            let r = raw(CALLS);
            assert!(matches!(r, Ok(v) if v == expected), "{name} raw: {r:?}");
        })
    });
    group.finish();

    let mut group = c.benchmark_group(format!("{name}/hostcall_log"));
    timing(&mut group);
    group.throughput(Throughput::Elements(CALLS as u64));
    group.bench_function("pwconf", |b| {
        b.iter(|| {
            vm.state().logs.clear();
            let r = vm.call("log_loop", ctx, &[CALLS]);
            assert!(matches!(r, Ok(Some(v)) if v == i64::from(CALLS)), "{name}: {r:?}");
            vm.state().trace.clear();
        })
    });
    let mut raw = ok("raw baseline", (reg.raw_baseline)(RawCase::Log));
    group.bench_function("raw", |b| {
        b.iter(|| {
            let r = raw(CALLS);
            assert!(matches!(r, Ok(v) if v == CALLS), "{name} raw: {r:?}");
        })
    });
    group.finish();
}

fn vm_copy_benches(
    c: &mut Criterion,
    reg: &Registration,
    backend: &dyn Backend,
    group: &str,
    wasm: &[u8],
    configuration: &[u8],
) {
    let linked = link(backend, wasm);
    let mut group = c.benchmark_group(format!("{}/{group}", reg.name));
    timing(&mut group);
    // The copy Envoy makes for a new worker: instantiate, check the callbacks, find the
    // allocator, run start-up. (Plugins start on it afterwards, per plugin.)
    group.bench_function("warm_copy", |b| {
        b.iter(|| {
            let mut state = VmState::new(ABI, "bench", Arc::new(Vec::new()));
            state.record_trace = false;
            black_box(ok("VM start", Vm::start(&linked, state, &Limits::default())))
        })
    });
    // The copy is usable: its plugin starts (checked once, not timed).
    drop(vm_copy(&linked, configuration));
    group.bench_function("instantiate", |b| {
        b.iter(|| {
            let state = VmState::new(ABI, "bench", Arc::new(Vec::new()));
            black_box(ok(
                "instantiate",
                linked.instantiate(Box::new(state), &Limits::default()),
            ))
        })
    });
    let mut raw = ok("raw instantiate", (reg.raw_instantiate)(wasm));
    group.bench_function("raw_instantiate", |b| b.iter(|| ok("raw instantiate", raw())));
    group.finish();
}

fn proxy_config(backend: &str, wasm: &[u8]) -> HostConfig {
    let code = Arc::new(wasm.to_vec());
    HostConfig {
        workers: None,
        http_filters: vec![PluginConfig {
            name: "bench".to_string(),
            root_id: String::new(),
            configuration: Vec::new(),
            fail_open: false,
            reload: None,
            vm: VmConfig {
                vm_id: "bench".to_string(),
                runtime: format!("pwconf.{backend}"),
                backend: backend.to_string(),
                code_sha256: pwconf_backend::artifact::sha256_hex(&code),
                code,
                code_origin: "bench filter".to_string(),
                configuration: Vec::new(),
                environment: Vec::new(),
                allow_precompiled: false,
            },
            path: "http_filters[0]".to_string(),
        }],
        network_filters: Vec::new(),
        services: Vec::new(),
        clusters: Vec::new(),
        cluster_addresses: Default::default(),
    }
}

fn throughput_benches(c: &mut Criterion, reg: &Registration, backend: Arc<dyn Backend>, wasm: &[u8]) {
    let config = proxy_config(reg.name, wasm);
    let mut group = c.benchmark_group(format!("{}/throughput", reg.name));
    timing(&mut group);
    group.throughput(Throughput::Elements(1));
    for (workers, id) in [(1, "1_worker"), (2, "2_workers")] {
        let mut options = ProxyOptions::new(Backends::Only(backend.clone()));
        options.workers = workers;
        options.record_trace = false;
        group.bench_function(id, |b| {
            b.iter_custom(|iters| {
                let mut proxy = ok("proxy start", Proxy::start(&config, &options));
                let (request, response) = (request(), response());
                // Every worker has its VM copy before the clock starts.
                ok("warm-up", proxy.http_load(&request, &response, 4 * workers));
                let count = usize::try_from(iters).unwrap_or(usize::MAX);
                let started = Instant::now();
                ok("streams", proxy.http_load(&request, &response, count));
                let elapsed = started.elapsed();
                let report = ok("proxy finish", proxy.finish());
                assert!(
                    report.http.values().all(|o| o.finished),
                    "{}: a stream did not finish",
                    reg.name
                );
                elapsed
            })
        });
    }
    group.finish();
}

/// Resident set size of this process, in bytes.
fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

unsafe extern "C" {
    /// POSIX `mincore`: which pages of a range are resident.
    fn mincore(addr: *mut std::ffi::c_void, length: usize, vec: *mut u8) -> i32;
}

/// How many bytes of `memory` are resident (whole pages), or `None` if the kernel will not
/// say.
fn resident_bytes(memory: &[u8]) -> Option<u64> {
    const PAGE: usize = 4096;
    if memory.is_empty() {
        return Some(0);
    }
    let start = memory.as_ptr() as usize & !(PAGE - 1);
    let end = (memory.as_ptr() as usize + memory.len()).div_ceil(PAGE) * PAGE;
    let mut residency = vec![0u8; (end - start) / PAGE];
    // SAFETY: mincore only inspects the page tables of [start, end), pages that belong to
    // a live mapping (the linear memory, rounded out to whole pages), and writes one byte
    // per page into `residency`, which has exactly that many.
    let rc = unsafe {
        mincore(
            start as *mut std::ffi::c_void,
            end - start,
            residency.as_mut_ptr(),
        )
    };
    (rc == 0).then(|| residency.iter().filter(|b| *b & 1 == 1).count() as u64 * PAGE as u64)
}

/// Memory per VM copy: resident memory added by N live copies (each with its plugin
/// started), per copy, and the part of it that is the guest's own linear memory (its
/// resident pages, from `mincore`). Host overhead is the rest: the engine's instance,
/// store, tables and stacks, and the host's state.
fn memory_per_copy(wasm: &[u8], label: &str, configuration: &[u8]) {
    let test_mode = !std::env::args().any(|a| a == "--bench");
    let copies = if test_mode { 2 } else { 100 };
    let mut rows = Vec::new();
    for reg in pwconf_engines::REGISTRATIONS {
        let backend = ok("backend", (reg.create)(&EngineConfig::default()));
        let linked = link(&*backend, wasm);
        drop(vm_copy(&linked, configuration));
        let Some(before) = rss_bytes() else {
            eprintln!("not measured: memory per VM copy needs /proc/self/statm");
            return;
        };
        let mut vms: Vec<Vm> = (0..copies).map(|_| vm_copy(&linked, configuration).0).collect();
        let after = rss_bytes().unwrap_or(before);
        let (mut size, mut resident) = (0u64, 0u64);
        for vm in &mut vms {
            let memory = vm.guest_memory().map(|m| &*m).unwrap_or(&[]);
            size += memory.len() as u64;
            resident += resident_bytes(memory).unwrap_or(0);
        }
        drop(vms);
        let n = copies as u64;
        let rss = after.saturating_sub(before) / n;
        rows.push(serde_json::json!({
            "backend": reg.name,
            "module": label,
            "copies": copies,
            "rss_per_copy": rss,
            "linear_memory_size": size / n,
            "linear_memory_touched": resident / n,
            "host_overhead": rss.saturating_sub(resident / n),
        }));
    }
    let dir = target_dir().join("pwconf-bench");
    let method = "resident memory (RSS) added by N live VM copies, per copy, minus the resident pages of each copy's linear memory (mincore)";
    let out = serde_json::json!({"method": method, "rows": rows});
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("memory.json"), format!("{out:#}\n")));
    if let Err(e) = written {
        eprintln!("memory per VM copy: cannot write {}: {e}", dir.display());
    }
}

/// Criterion's options that take a value (the value is not a name filter).
const VALUE_OPTIONS: &[&str] = &[
    "--warm-up-time",
    "--measurement-time",
    "--sample-size",
    "--nresamples",
    "--noise-threshold",
    "--confidence-level",
    "--significance-level",
    "--save-baseline",
    "--baseline",
    "--baseline-lenient",
    "--load-baseline",
    "--profile-time",
    "--plotting-backend",
    "--output-format",
    "--color",
    "--format",
    "--logfile",
];

/// Whether a criterion name filter on the command line lets `name` run.
fn selected(name: &str) -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with('-') && (*i == 0 || !VALUE_OPTIONS.contains(&args[i - 1].as_str())))
        .map(|(_, a)| a)
        .collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

fn main() {
    let filter_wasm = filter::wasm();
    let sdk = sdk_module();
    if selected("memory") {
        match &sdk {
            Some(wasm) => memory_per_copy(wasm, "headers (Rust SDK 0.2.5, 125 KB)", b"from-config"),
            None => memory_per_copy(&filter_wasm, "bench filter", b""),
        }
    }
    let mut c = Criterion::default().configure_from_args();
    let workloads = workloads();
    for reg in pwconf_engines::REGISTRATIONS {
        let backend: Arc<dyn Backend> = Arc::from(ok("backend", (reg.create)(&EngineConfig::default())));
        hostcall_benches(&mut c, reg, &*backend);
        filter_benches(&mut c, reg.name, &link(&*backend, &filter_wasm));
        vm_copy_benches(&mut c, reg, &*backend, "vm_copy", &filter_wasm, b"");
        if let Some(wasm) = &sdk {
            vm_copy_benches(&mut c, reg, &*backend, "vm_copy_sdk", wasm, b"from-config");
        }
        throughput_benches(&mut c, reg, backend.clone(), &filter_wasm);
        workload_benches(&mut c, reg, &*backend, &workloads);
    }
    let wasm_module = ok(
        "compile",
        ok("wasmi", pwconf_engines::create("wasmi", &EngineConfig::default())).compile(&filter_wasm),
    );
    let native = filter::native(&*wasm_module).into_compiled();
    filter_benches(&mut c, "native", &ok("link", native.link(host_funcs(ABI))));
    c.final_summary();
}
