//! The bench filter, twice: as a Wasm module (WAT) and as native Rust code over the same
//! hostcalls (the null-VM baseline). Both do exactly the same calls with the same guest
//! addresses, so the difference between them is what running Wasm costs.
//!
//! Per HTTP stream: `proxy_on_context_create`; request headers: read `:path` and
//! `user-agent`, add `x-pwconf-bench: 1`; response headers: set `x-served-by: pwconf`;
//! `proxy_on_log` logs one line; `proxy_on_done`, `proxy_on_delete`. Per TCP data chunk:
//! read the chunk with `proxy_get_buffer_bytes` and count its bytes.

pub mod headers20;

use pwconf_backend::{CompiledModule, ExternKind, Val, WasmError};
use pwconf_native::{NativeCaller, NativeFn, NativeModule};

/// Guest addresses of the filter's strings (its data segments).
pub const PATH: (u32, &[u8]) = (1024, b":path");
pub const USER_AGENT: (u32, &[u8]) = (1040, b"user-agent");
pub const ADDED_NAME: (u32, &[u8]) = (1056, b"x-pwconf-bench");
pub const ADDED_VALUE: (u32, &[u8]) = (1072, b"1");
pub const SERVED_BY_NAME: (u32, &[u8]) = (1088, b"x-served-by");
pub const SERVED_BY_VALUE: (u32, &[u8]) = (1104, b"pwconf");
pub const LOG_LINE: (u32, &[u8]) = (1120, b"request done");
const STRINGS: [(u32, &[u8]); 7] = [
    PATH,
    USER_AGENT,
    ADDED_NAME,
    ADDED_VALUE,
    SERVED_BY_NAME,
    SERVED_BY_VALUE,
    LOG_LINE,
];
const OUT_PTR: i32 = 512;
const OUT_LEN: i32 = 516;
const HEAP_BASE: i64 = 65536;

/// Imports in declaration order (the native filter calls them by this index).
const GET: usize = 0;
const ADD: usize = 1;
const REPLACE: usize = 2;
const LOG: usize = 3;
const BUFFER: usize = 4;
/// Globals of the native filter (the WAT's `$heap` and `$seen`).
const HEAP: usize = 0;
const SEEN: usize = 1;

fn data(s: (u32, &[u8])) -> String {
    format!(
        "  (data (i32.const {}) \"{}\")\n",
        s.0,
        String::from_utf8_lossy(s.1)
    )
}

fn at(s: (u32, &[u8])) -> String {
    format!("(i32.const {}) (i32.const {})", s.0, s.1.len())
}

/// The filter as WAT (ABI 0.2.1).
pub fn wat() -> String {
    let segments: String = STRINGS.iter().map(|s| data(*s)).collect();
    let (path, ua, added, added_value) = (at(PATH), at(USER_AGENT), at(ADDED_NAME), at(ADDED_VALUE));
    let (served, served_value, line) = (at(SERVED_BY_NAME), at(SERVED_BY_VALUE), at(LOG_LINE));
    format!(
        r#"(module
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_replace_header_map_value" (func $replace (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $buffer (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const {HEAP_BASE}))
  (global $seen (mut i32) (i32.const 0))
{segments}
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (local.get $at) (local.get $size)))
    (local.get $at))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (global.set $heap (i32.const {HEAP_BASE}))
    (drop (call $get (i32.const 0) {path} (i32.const {OUT_PTR}) (i32.const {OUT_LEN})))
    (drop (call $get (i32.const 0) {ua} (i32.const {OUT_PTR}) (i32.const {OUT_LEN})))
    (drop (call $add (i32.const 0) {added} {added_value}))
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32)
    (drop (call $replace (i32.const 2) {served} {served_value}))
    (i32.const 0))
  (func (export "proxy_on_log") (param i32)
    (drop (call $log (i32.const 2) {line})))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32))
  (func (export "proxy_on_new_connection") (param i32) (result i32) (i32.const 0))
  (func $chunk (param $buffer i32) (param $size i32)
    (global.set $heap (i32.const {HEAP_BASE}))
    (drop (call $buffer (local.get $buffer) (i32.const 0) (local.get $size) (i32.const {OUT_PTR}) (i32.const {OUT_LEN})))
    (global.set $seen (i32.add (global.get $seen) (i32.load (i32.const {OUT_LEN})))))
  (func (export "proxy_on_downstream_data") (param i32 i32 i32) (result i32)
    (call $chunk (i32.const 2) (local.get 1))
    (i32.const 0))
  (func (export "proxy_on_upstream_data") (param i32 i32 i32) (result i32)
    (call $chunk (i32.const 3) (local.get 1))
    (i32.const 0))
  (func (export "proxy_on_downstream_connection_close") (param i32 i32))
  (func (export "proxy_on_upstream_connection_close") (param i32 i32))
)"#
    )
}

/// The filter as Wasm bytes.
pub fn wasm() -> Vec<u8> {
    match pwconf_backend::testkit::wat(&wat()) {
        Ok(w) => w,
        Err(e) => panic!("bench filter WAT: {e}"),
    }
}

fn ret(out: &mut [Val], v: i32) -> Result<(), WasmError> {
    if let Some(slot) = out.first_mut() {
        *slot = Val::I32(v);
    }
    Ok(())
}

fn call(
    c: &mut NativeCaller<'_>,
    import: usize,
    a: i32,
    s: (u32, &[u8]),
    x: i32,
    y: i32,
) -> Result<(), WasmError> {
    c.import_i32(import, [a, s.0 as i32, s.1.len() as i32, x, y])
        .map(drop)
}

fn n_malloc(c: &mut NativeCaller<'_>, args: &[Val], out: &mut [Val]) -> Result<(), WasmError> {
    let heap = c.global(HEAP)?;
    let at = *heap;
    *heap += i64::from(args[0].u32());
    ret(out, at as i32)
}

fn n_nothing(_c: &mut NativeCaller<'_>, _args: &[Val], _out: &mut [Val]) -> Result<(), WasmError> {
    Ok(())
}

fn n_true(_c: &mut NativeCaller<'_>, _args: &[Val], out: &mut [Val]) -> Result<(), WasmError> {
    ret(out, 1)
}

fn n_continue(_c: &mut NativeCaller<'_>, _args: &[Val], out: &mut [Val]) -> Result<(), WasmError> {
    ret(out, 0)
}

fn n_request_headers(c: &mut NativeCaller<'_>, _args: &[Val], out: &mut [Val]) -> Result<(), WasmError> {
    *c.global(HEAP)? = HEAP_BASE;
    call(c, GET, 0, PATH, OUT_PTR, OUT_LEN)?;
    call(c, GET, 0, USER_AGENT, OUT_PTR, OUT_LEN)?;
    call(
        c,
        ADD,
        0,
        ADDED_NAME,
        ADDED_VALUE.0 as i32,
        ADDED_VALUE.1.len() as i32,
    )?;
    ret(out, 0)
}

fn n_response_headers(c: &mut NativeCaller<'_>, _args: &[Val], out: &mut [Val]) -> Result<(), WasmError> {
    let value = SERVED_BY_VALUE;
    call(
        c,
        REPLACE,
        2,
        SERVED_BY_NAME,
        value.0 as i32,
        value.1.len() as i32,
    )?;
    ret(out, 0)
}

fn n_log(c: &mut NativeCaller<'_>, _args: &[Val], _out: &mut [Val]) -> Result<(), WasmError> {
    c.import_i32(LOG, [2, LOG_LINE.0 as i32, LOG_LINE.1.len() as i32])
        .map(drop)
}

fn chunk(c: &mut NativeCaller<'_>, buffer: i32, size: i32) -> Result<(), WasmError> {
    *c.global(HEAP)? = HEAP_BASE;
    c.import_i32(BUFFER, [buffer, 0, size, OUT_PTR, OUT_LEN])?;
    let len = &c.bytes()[OUT_LEN as usize..OUT_LEN as usize + 4];
    let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]);
    *c.global(SEEN)? += i64::from(len);
    Ok(())
}

fn n_downstream(c: &mut NativeCaller<'_>, args: &[Val], out: &mut [Val]) -> Result<(), WasmError> {
    chunk(c, 2, args[1].i32().unwrap_or(0))?;
    ret(out, 0)
}

fn n_upstream(c: &mut NativeCaller<'_>, args: &[Val], out: &mut [Val]) -> Result<(), WasmError> {
    chunk(c, 3, args[1].i32().unwrap_or(0))?;
    ret(out, 0)
}

/// The same filter as native code. Its interface (imports, exports and their types) is
/// taken from the compiled WAT, so the two cannot drift apart.
pub fn native(wasm_module: &dyn CompiledModule) -> NativeModule {
    let bodies: [(&str, NativeFn); 15] = [
        ("proxy_abi_version_0_2_1", n_nothing),
        ("malloc", n_malloc),
        ("proxy_on_context_create", n_nothing),
        ("proxy_on_vm_start", n_true),
        ("proxy_on_configure", n_true),
        ("proxy_on_request_headers", n_request_headers),
        ("proxy_on_response_headers", n_response_headers),
        ("proxy_on_log", n_log),
        ("proxy_on_done", n_true),
        ("proxy_on_delete", n_nothing),
        ("proxy_on_new_connection", n_continue),
        ("proxy_on_downstream_data", n_downstream),
        ("proxy_on_upstream_data", n_upstream),
        ("proxy_on_downstream_connection_close", n_nothing),
        ("proxy_on_upstream_connection_close", n_nothing),
    ];
    let mut module = NativeModule::new(2, 2);
    for import in wasm_module.imports() {
        if let ExternKind::Func(ty) = &import.kind {
            module.import(&import.module, &import.name, ty.clone());
        }
    }
    for export in wasm_module.exports() {
        let ExternKind::Func(ty) = &export.kind else {
            continue;
        };
        let Some((_, body)) = bodies.iter().find(|(name, _)| *name == export.name) else {
            panic!("the native bench filter lacks {}", export.name);
        };
        module.export(&export.name, ty.clone(), *body);
    }
    for s in STRINGS {
        module.data(s.0, s.1);
    }
    module
}
