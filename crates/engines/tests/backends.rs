//! One body per behaviour, run on every backend of the build: trials are named
//! `<backend>::<behaviour>`, so `cargo test -p pwconf-engines -- wasmer::` picks an engine.

use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use pwconf_backend::testkit::{self, ProbeState};
use pwconf_backend::{
    Backend, EngineConfig, Instance, Limits, LinkedModule, OutcomeKind, Registration, Val, WasmError,
};

mod stub;

type Check = fn(&Registration) -> Result<(), Failed>;

const CHECKS: &[(&str, Check)] = &[
    ("instantiate_and_call", instantiate_and_call),
    (
        "host_call_reads_and_writes_guest_memory",
        host_call_reads_and_writes_guest_memory,
    ),
    (
        "wild_guest_pointer_is_an_error_value",
        wild_guest_pointer_is_an_error_value,
    ),
    ("host_call_reenters_the_guest", host_call_reenters_the_guest),
    ("i64_values_cross_the_boundary", i64_values_cross_the_boundary),
    (
        "infinite_loop_is_stopped_by_the_budget",
        infinite_loop_is_stopped_by_the_budget,
    ),
    (
        "spinning_start_function_is_stopped",
        spinning_start_function_is_stopped,
    ),
    ("memory_grow_past_the_cap_fails", memory_grow_past_the_cap_fails),
    ("table_cap_is_enforced", table_cap_is_enforced),
    (
        "memory_grown_page_by_page_to_the_cap",
        memory_grown_page_by_page_to_the_cap,
    ),
    (
        "initial_memory_above_the_cap_is_a_memory_limit",
        initial_memory_above_the_cap_is_a_memory_limit,
    ),
    ("every_trap_has_its_outcome_name", every_trap_has_its_outcome_name),
    (
        "missing_import_is_a_link_error_naming_it",
        missing_import_is_a_link_error_naming_it,
    ),
    (
        "wrong_import_signature_is_a_link_error",
        wrong_import_signature_is_a_link_error,
    ),
    ("invalid_module_is_rejected", invalid_module_is_rejected),
    ("bad_call_arguments_are_rejected", bad_call_arguments_are_rejected),
    ("artifact_round_trip", artifact_round_trip),
    (
        "foreign_or_damaged_artifact_is_rejected",
        foreign_or_damaged_artifact_is_rejected,
    ),
    ("instances_on_several_threads", instances_on_several_threads),
    (
        "one_backend_compiles_many_modules",
        one_backend_compiles_many_modules,
    ),
    (
        "artifact_cache_is_reused_and_repaired",
        artifact_cache_is_reused_and_repaired,
    ),
    (
        "raw_baselines_do_the_benchmarked_work",
        raw_baselines_do_the_benchmarked_work,
    ),
];

/// The raw-engine floors the benches compare against must do the same work as pwconf's
/// side, or the ratios mean nothing.
fn raw_baselines_do_the_benchmarked_work(reg: &Registration) -> Result<(), Failed> {
    use testkit::RawCase;
    let run = |case: RawCase, n: i32| -> Result<i32, Failed> {
        let mut raw = (reg.raw_baseline)(case).map_err(|e| fail(format!("{case:?}: {e}")))?;
        // Twice: the loop must be repeatable (the bump heap and the log are reset).
        raw(n).map_err(|e| fail(format!("{case:?}: {e}")))?;
        raw(n).map_err(|e| fail(format!("{case:?}: {e}")))
    };
    expect_eq("read64", run(RawCase::Read64, 10)?, testkit::data_checksum() * 10)?;
    expect_eq(
        "get_value",
        run(RawCase::GetValue, 10)?,
        testkit::get_value_loop_result(10),
    )?;
    // the probe counts the calls answered OK: a loop that made no call gives 0
    expect_eq("log", run(RawCase::Log, 10)?, 10)?;
    let wasm = testkit::raw_hostcall_probe().map_err(fail)?;
    let mut instantiate = (reg.raw_instantiate)(&wasm).map_err(|e| fail(format!("raw instantiate: {e}")))?;
    instantiate().map_err(|e| fail(format!("raw instantiate: {e}")))?;
    instantiate().map_err(|e| fail(format!("raw instantiate: {e}")))
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for reg in pwconf_engines::REGISTRATIONS {
        for (name, check) in CHECKS {
            let check = *check;
            trials.push(Trial::test(format!("{}::{name}", reg.name), move || check(reg)));
        }
    }
    for reg in [&stub::STUB, &stub::HALF_WIRED] {
        trials.push(Trial::test(
            format!("{}::fails_every_check", reg.name),
            move || every_check_fails(reg),
        ));
    }
    libtest_mimic::run(&args, trials).exit();
}

/// The checks can fail: an engine that does nothing (or whose raw log loop does nothing)
/// passes none of them. A check that panics on it has failed it too.
fn every_check_fails(reg: &Registration) -> Result<(), Failed> {
    let passed: Vec<&str> = CHECKS
        .iter()
        .filter(|(_, check)| std::panic::catch_unwind(|| check(reg)).is_ok_and(|result| result.is_ok()))
        .map(|(name, _)| *name)
        .collect();
    if passed.is_empty() {
        Ok(())
    } else {
        Err(fail(format!(
            "the {} engine passes {}",
            reg.name,
            passed.join(", ")
        )))
    }
}

fn fail(msg: impl Into<String>) -> Failed {
    Failed::from(msg.into())
}

fn backend(reg: &Registration) -> Result<Box<dyn Backend>, Failed> {
    (reg.create)(&EngineConfig::default()).map_err(|e| fail(format!("create: {e}")))
}

fn linked(backend: &dyn Backend, wat: &str) -> Result<Arc<dyn LinkedModule>, WasmError> {
    let wasm = testkit::wat(wat).map_err(WasmError::InvalidModule)?;
    backend.compile(&wasm)?.link(&testkit::probe_host_funcs())
}

fn probe(reg: &Registration, limits: &Limits) -> Result<Box<dyn Instance>, Failed> {
    let b = backend(reg)?;
    let linked = linked(&*b, testkit::PROBE_WAT).map_err(|e| fail(format!("link: {e}")))?;
    linked
        .instantiate(Box::new(ProbeState::default()), limits)
        .map_err(|e| fail(format!("instantiate: {e}")))
}

fn call_i32(instance: &mut dyn Instance, name: &str, args: &[Val]) -> Result<i32, WasmError> {
    let mut out = [Val::I32(0)];
    instance.call_export(name, args, &mut out)?;
    out[0]
        .i32()
        .ok_or_else(|| WasmError::BadCall(format!("{name} returned {:?}", out[0])))
}

fn expect_eq<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) -> Result<(), Failed> {
    if got == want {
        Ok(())
    } else {
        Err(fail(format!("{what}: expected {want:?}, got {got:?}")))
    }
}

fn expect_kind<T>(what: &str, result: Result<T, WasmError>, want: OutcomeKind) -> Result<WasmError, Failed> {
    match result {
        Ok(_) => Err(fail(format!("{what}: expected {want}, but it succeeded"))),
        Err(e) if e.kind() == want => Ok(e),
        Err(e) => Err(fail(format!("{what}: expected {want}, got {} ({e})", e.kind()))),
    }
}

fn instantiate_and_call(reg: &Registration) -> Result<(), Failed> {
    let mut i = probe(reg, &Limits::default())?;
    expect_eq("answer()", call_i32(&mut *i, "answer", &[])?, 42)?;
    expect_eq("double(21)", call_i32(&mut *i, "double", &[Val::I32(21)])?, 42)?;
    expect_eq("memory size", i.memory().map(|m| m.len()), Some(65536))
}

fn host_call_reads_and_writes_guest_memory(reg: &Registration) -> Result<(), Failed> {
    let mut i = probe(reg, &Limits::default())?;
    let args = [
        Val::I32(testkit::DATA_PTR as i32),
        Val::I32(testkit::COPY_PTR as i32),
    ];
    expect_eq(
        "copy() checksum",
        call_i32(&mut *i, "copy", &args)?,
        testkit::data_checksum(),
    )?;
    let memory = i.memory().ok_or_else(|| fail("no memory"))?;
    let start = testkit::COPY_PTR as usize;
    expect_eq(
        "copied bytes",
        &memory[start..start + 64],
        &testkit::probe_data()[..],
    )?;
    let calls = i.state().downcast_mut::<ProbeState>().map(|s| s.calls);
    expect_eq("host calls recorded in the state", calls, Some(1))
}

fn wild_guest_pointer_is_an_error_value(reg: &Registration) -> Result<(), Failed> {
    let mut i = probe(reg, &Limits::default())?;
    for (src, dst) in [(-16, 0), (65536 - 63, 0), (0, 65536 - 10), (i32::MIN, i32::MAX)] {
        expect_eq(
            &format!("copy({src}, {dst})"),
            call_i32(&mut *i, "copy", &[Val::I32(src), Val::I32(dst)])?,
            -1,
        )?;
    }
    Ok(())
}

fn host_call_reenters_the_guest(reg: &Registration) -> Result<(), Failed> {
    let mut i = probe(reg, &Limits::default())?;
    expect_eq("reenter(5)", call_i32(&mut *i, "reenter", &[Val::I32(5)])?, 11)
}

fn i64_values_cross_the_boundary(reg: &Registration) -> Result<(), Failed> {
    let mut i = probe(reg, &Limits::default())?;
    let mut out = [Val::I64(0)];
    i.call_export("sum_i64", &[Val::I64(1 << 40), Val::I64(-3)], &mut out)?;
    expect_eq("sum_i64", out[0], Val::I64((1 << 40) - 3))
}

fn small_budget() -> Limits {
    Limits {
        fuel_per_call: Some(5_000_000),
        ..Limits::default()
    }
}

fn infinite_loop_is_stopped_by_the_budget(reg: &Registration) -> Result<(), Failed> {
    let mut i = probe(reg, &small_budget())?;
    expect_kind(
        "spin()",
        i.call_export("spin", &[], &mut []),
        OutcomeKind::BudgetExhausted,
    )?;
    // The budget is per call: the same instance runs the next call normally.
    expect_eq(
        "answer() after the stopped loop",
        call_i32(&mut *i, "answer", &[])?,
        42,
    )
}

fn spinning_start_function_is_stopped(reg: &Registration) -> Result<(), Failed> {
    let b = backend(reg)?;
    let spinning = linked(&*b, testkit::SPINNING_START_WAT)?;
    let result = spinning.instantiate(Box::new(ProbeState::default()), &small_budget());
    // The same outcome on every engine (wasmer's binding runs the start function as the
    // instance's first call so that its metering can tell).
    expect_kind(
        "instantiate(spinning start)",
        result,
        OutcomeKind::BudgetExhausted,
    )?;
    // A start function that traps for real still says so.
    let trapping = linked(&*b, r#"(module (func $s unreachable) (start $s))"#)?;
    let result = trapping.instantiate(Box::new(ProbeState::default()), &small_budget());
    expect_kind("instantiate(trapping start)", result, OutcomeKind::Unreachable)?;
    // And one that returns leaves a working instance.
    let setting = linked(
        &*b,
        r#"(module (global $g (mut i32) (i32.const 0)) (func $s (global.set $g (i32.const 42)))
             (start $s) (func (export "answer") (result i32) (global.get $g)))"#,
    )?;
    let mut i = setting
        .instantiate(Box::new(ProbeState::default()), &small_budget())
        .map_err(|e| fail(e.to_string()))?;
    expect_eq(
        "answer() set by the start function",
        call_i32(&mut *i, "answer", &[])?,
        42,
    )?;
    let hidden = setting
        .exports()
        .iter()
        .filter(|e| e.name.contains("start"))
        .count();
    expect_eq("exports naming a start function", hidden, 0)
}

fn table_cap_is_enforced(reg: &Registration) -> Result<(), Failed> {
    let b = backend(reg)?;
    let limits = Limits {
        max_table_elements: 1000,
        ..Limits::default()
    };
    // An initial table over the cap is a memory limit, named alike on every engine.
    let big = linked(&*b, r#"(module (table 1001 funcref))"#)?;
    expect_kind(
        "instantiate(1001-element table, cap 1000)",
        big.instantiate(Box::new(()), &limits),
        OutcomeKind::MemoryLimit,
    )?;
    // table.grow stops at the cap (-1 past it), as memory.grow does.
    let growing = linked(
        &*b,
        r#"(module (table 10 funcref)
             (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))"#,
    )?;
    let mut i = growing
        .instantiate(Box::new(()), &limits)
        .map_err(|e| fail(e.to_string()))?;
    expect_eq(
        "grow(990) to the cap",
        call_i32(&mut *i, "grow", &[Val::I32(990)])?,
        10,
    )?;
    expect_eq(
        "grow(1) past the cap",
        call_i32(&mut *i, "grow", &[Val::I32(1)])?,
        -1,
    )
}

/// Growing memory one page per instruction up to the cap, on a proxy-sized thread stack
/// (wasmi was reported aborting the process near 12k pages).
fn memory_grown_page_by_page_to_the_cap(reg: &Registration) -> Result<(), Failed> {
    let b = backend(reg)?;
    let linked = linked(
        &*b,
        r#"(module (memory (export "memory") 1)
             (func (export "grow_all") (result i32) (local $n i32)
               (block $done (loop $l
                 (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
                 (local.set $n (i32.add (local.get $n) (i32.const 1)))
                 (br $l)))
               (local.get $n)))"#,
    )?;
    let limits = Limits {
        max_memory_bytes: 16384 * 65536,
        ..Limits::default()
    };
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || -> Result<(), Failed> {
            let mut i = linked
                .instantiate(Box::new(()), &limits)
                .map_err(|e| fail(e.to_string()))?;
            expect_eq("pages grown", call_i32(&mut *i, "grow_all", &[])?, 16383)
        })
        .map_err(|e| fail(e.to_string()))?
        .join()
        .map_err(|_| fail("the thread panicked"))?
}

fn memory_grow_past_the_cap_fails(reg: &Registration) -> Result<(), Failed> {
    let limits = Limits {
        max_memory_bytes: 4 * 65536,
        ..Limits::default()
    };
    let mut i = probe(reg, &limits)?;
    expect_eq(
        "grow(2) from 1 page",
        call_i32(&mut *i, "grow", &[Val::I32(2)])?,
        1,
    )?;
    expect_eq(
        "grow(2) past a 4-page cap",
        call_i32(&mut *i, "grow", &[Val::I32(2)])?,
        -1,
    )?;
    expect_eq(
        "grow(1) up to the cap",
        call_i32(&mut *i, "grow", &[Val::I32(1)])?,
        3,
    )?;
    expect_eq("size()", call_i32(&mut *i, "size", &[])?, 4)
}

fn initial_memory_above_the_cap_is_a_memory_limit(reg: &Registration) -> Result<(), Failed> {
    let b = backend(reg)?;
    let linked = linked(&*b, testkit::BIG_MEMORY_WAT)?;
    let limits = Limits {
        max_memory_bytes: 1 << 20,
        ..Limits::default()
    };
    expect_kind(
        "instantiate(128 MiB memory, 1 MiB cap)",
        linked.instantiate(Box::new(()), &limits),
        OutcomeKind::MemoryLimit,
    )?;
    // Under a larger cap the same module instantiates.
    linked
        .instantiate(Box::new(()), &Limits::default())
        .map(drop)
        .map_err(|e| fail(e.to_string()))
}

fn every_trap_has_its_outcome_name(reg: &Registration) -> Result<(), Failed> {
    let mut i = probe(reg, &Limits::default())?;
    let cases: [(&str, &[Val], OutcomeKind); 6] = [
        ("load", &[Val::I32(-1)], OutcomeKind::OutOfBounds),
        ("trap_unreachable", &[], OutcomeKind::Unreachable),
        ("recurse", &[Val::I32(0)], OutcomeKind::StackOverflow),
        ("div", &[Val::I32(1), Val::I32(0)], OutcomeKind::IntegerTrap),
        ("call_null", &[], OutcomeKind::IndirectCall),
        ("host_abort", &[Val::I32(7)], OutcomeKind::HostError),
    ];
    for (name, args, want) in cases {
        let results = i.func(name).map(|f| f.ty.results.len()).unwrap_or(0);
        let mut out = vec![Val::I32(0); results];
        let err = expect_kind(name, i.call_export(name, args, &mut out), want)?;
        if want == OutcomeKind::HostError && !err.to_string().contains("guest aborted with code 7") {
            return Err(fail(format!("host_abort lost the host's message: {err}")));
        }
    }
    // A trap does not poison the instance.
    expect_eq("answer() after traps", call_i32(&mut *i, "answer", &[])?, 42)
}

fn missing_import_is_a_link_error_naming_it(reg: &Registration) -> Result<(), Failed> {
    let b = backend(reg)?;
    let err = expect_kind(
        "link",
        linked(&*b, testkit::MISSING_IMPORT_WAT),
        OutcomeKind::LinkError,
    )?;
    if !err.to_string().contains("env.proxy_does_not_exist") {
        return Err(fail(format!("the link error does not name the import: {err}")));
    }
    Ok(())
}

fn wrong_import_signature_is_a_link_error(reg: &Registration) -> Result<(), Failed> {
    let b = backend(reg)?;
    let err = expect_kind(
        "link",
        linked(&*b, testkit::WRONG_SIGNATURE_WAT),
        OutcomeKind::LinkError,
    )?;
    let text = err.to_string();
    if !(text.contains("host.copy64") && text.contains("(i32) -> (i32)")) {
        return Err(fail(format!("the link error does not say what differs: {text}")));
    }
    Ok(())
}

fn invalid_module_is_rejected(reg: &Registration) -> Result<(), Failed> {
    let b = backend(reg)?;
    let valid = testkit::wat(testkit::PROBE_WAT).map_err(fail)?;
    let truncated = &valid[..valid.len() / 2];
    for (what, bytes) in [
        ("truncated", truncated),
        ("garbage", &b"not wasm at all"[..]),
        ("empty", &[][..]),
    ] {
        expect_kind(what, b.compile(bytes), OutcomeKind::InvalidModule)?;
    }
    Ok(())
}

fn bad_call_arguments_are_rejected(reg: &Registration) -> Result<(), Failed> {
    let mut i = probe(reg, &Limits::default())?;
    expect_kind(
        "double(i64)",
        i.call_export("double", &[Val::I64(1)], &mut [Val::I32(0)]),
        OutcomeKind::BadCall,
    )?;
    expect_kind(
        "double() no result slot",
        i.call_export("double", &[Val::I32(1)], &mut []),
        OutcomeKind::BadCall,
    )?;
    expect_kind(
        "missing export",
        i.call_export("nope", &[], &mut []),
        OutcomeKind::MissingExport,
    )
    .map(drop)
}

fn artifact_round_trip(reg: &Registration) -> Result<(), Failed> {
    let b = backend(reg)?;
    let wasm = testkit::wat(testkit::PROBE_WAT).map_err(fail)?;
    let artifact = b.compile(&wasm)?.serialize()?;
    // A fresh backend (as in a later process) loads it without compiling.
    let b2 = backend(reg)?;
    let module = b2.load_artifact(&artifact)?;
    let linked = module.link(&testkit::probe_host_funcs())?;
    let mut i = linked.instantiate(Box::new(ProbeState::default()), &Limits::default())?;
    let args = [
        Val::I32(testkit::DATA_PTR as i32),
        Val::I32(testkit::COPY_PTR as i32),
    ];
    expect_eq(
        "copy() after the round trip",
        call_i32(&mut *i, "copy", &args)?,
        testkit::data_checksum(),
    )
}

fn foreign_or_damaged_artifact_is_rejected(reg: &Registration) -> Result<(), Failed> {
    let b = backend(reg)?;
    let wasm = testkit::wat(testkit::PROBE_WAT).map_err(fail)?;
    for other in pwconf_engines::REGISTRATIONS
        .iter()
        .filter(|r| r.name != reg.name)
    {
        let foreign = backend(other)?.compile(&wasm)?.serialize()?;
        let err = expect_kind(
            &format!("{} artifact", other.name),
            b.load_artifact(&foreign),
            OutcomeKind::ArtifactError,
        )?;
        if !err.to_string().contains(other.name) {
            return Err(fail(format!(
                "the error does not name the artifact's engine: {err}"
            )));
        }
    }
    let own = b.compile(&wasm)?.serialize()?;
    let mut flipped = own.clone();
    let mid = flipped.len() - 100;
    flipped[mid] ^= 0x55;
    for (what, bytes) in [
        ("truncated artifact", &own[..own.len() - 1]),
        ("altered artifact", &flipped[..]),
        ("a wasm module", &wasm[..]),
    ] {
        expect_kind(what, b.load_artifact(bytes), OutcomeKind::ArtifactError)?;
    }
    Ok(())
}

fn one_backend_compiles_many_modules(reg: &Registration) -> Result<(), Failed> {
    // Engines keep per-module compiler state (wasmer's metering serves one module only).
    let b = backend(reg)?;
    for round in 0..3 {
        let mut i =
            linked(&*b, testkit::PROBE_WAT)?.instantiate(Box::new(ProbeState::default()), &small_budget())?;
        expect_eq(
            &format!("answer() in round {round}"),
            call_i32(&mut *i, "answer", &[])?,
            42,
        )?;
        expect_kind(
            "spin()",
            i.call_export("spin", &[], &mut []),
            OutcomeKind::BudgetExhausted,
        )?;
        linked(&*b, testkit::BIG_MEMORY_WAT)?;
    }
    Ok(())
}

fn instances_on_several_threads(reg: &Registration) -> Result<(), Failed> {
    let b = backend(reg)?;
    let linked = linked(&*b, testkit::PROBE_WAT)?;
    // inputs other than 0: an engine that answers zeros must not pass for any thread
    let handles: Vec<_> = (20..22)
        .map(|n| {
            let linked = Arc::clone(&linked);
            std::thread::spawn(move || -> Result<i32, String> {
                let mut i = linked
                    .instantiate(Box::new(ProbeState::default()), &Limits::default())
                    .map_err(|e| e.to_string())?;
                call_i32(&mut *i, "double", &[Val::I32(n)]).map_err(|e| e.to_string())
            })
        })
        .collect();
    for (n, h) in (20..22).zip(handles) {
        let got = h
            .join()
            .map_err(|_| fail("worker thread panicked"))?
            .map_err(fail)?;
        expect_eq(&format!("double({n}) on a worker thread"), got, 2 * n)?;
    }
    Ok(())
}

fn artifact_cache_is_reused_and_repaired(reg: &Registration) -> Result<(), Failed> {
    let dir = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
    let config = EngineConfig {
        cache_dir: Some(dir.path().to_path_buf()),
    };
    let b = (reg.create)(&config)?;
    let wasm = testkit::wat(testkit::PROBE_WAT).map_err(fail)?;
    b.compile(&wasm)?;
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .map_err(|e| fail(e.to_string()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    if reg.kind != pwconf_backend::BackendKind::Aot {
        // Only AOT backends cache artifacts on their own; with a cache set they still run.
        expect_eq("cached files", files.len(), 0)?;
        let linked = b.compile(&wasm)?.link(&testkit::probe_host_funcs())?;
        let mut i = linked.instantiate(Box::new(ProbeState::default()), &Limits::default())?;
        return expect_eq("answer() with a cache set", call_i32(&mut *i, "answer", &[])?, 42);
    }
    expect_eq("cached files after one compile", files.len(), 1)?;
    // A damaged cache entry is recompiled and replaced, never trusted.
    std::fs::write(&files[0], b"damaged").map_err(|e| fail(e.to_string()))?;
    let b2 = (reg.create)(&config)?;
    let linked = b2.compile(&wasm)?.link(&testkit::probe_host_funcs())?;
    let mut i = linked.instantiate(Box::new(ProbeState::default()), &Limits::default())?;
    expect_eq(
        "answer() from a repaired cache",
        call_i32(&mut *i, "answer", &[])?,
        42,
    )?;
    let repaired = std::fs::read(&files[0]).map_err(|e| fail(e.to_string()))?;
    if repaired == b"damaged" {
        return Err(fail("the damaged cache file was not replaced"));
    }
    b2.load_artifact(&repaired)
        .map(drop)
        .map_err(|e| fail(format!("repaired artifact: {e}")))
}
