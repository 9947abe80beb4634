//! A probe module and host functions that exercise a backend the same way on every engine.
//! Used by the backend tests, the benches and each runtime's raw-engine baseline, so all
//! of them measure and check the very same guest.

use std::any::Any;

use crate::{Caller, FuncType, HostFuncs, HostTrap, Val, ValType};

/// Where the probe keeps 64 bytes of known data.
pub const DATA_PTR: u32 = 1024;
/// Where `copy64` writes the copy.
pub const COPY_PTR: u32 = 2048;
/// The probe's initial and maximum memory, in 64 KiB pages.
pub const INITIAL_PAGES: u32 = 1;
pub const MAX_PAGES: u32 = 64;

/// The probe guest. Every export exercises one behaviour a backend must get right.
pub const PROBE_WAT: &str = r#"
(module
  (import "host" "copy64" (func $copy64 (param i32 i32) (result i32)))
  (import "host" "read64" (func $read64 (param i32) (result i32)))
  (import "host" "abort" (func $abort (param i32)))
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (import "host" "add_i64" (func $add_i64 (param i64 i64) (result i64)))
  (memory (export "memory") 1 64)
  (table 2 funcref)
  (data (i32.const 1024) "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/")

  (func (export "answer") (result i32) (i32.const 42))
  (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "sum_i64") (param i64 i64) (result i64) (call $add_i64 (local.get 0) (local.get 1)))
  ;; host reads 64 bytes at src and writes them at dst; returns their byte sum, or -1
  (func (export "copy") (param i32 i32) (result i32) (call $copy64 (local.get 0) (local.get 1)))
  ;; n host calls that each copy 64 bytes out of guest memory (the benchmark loop)
  (func (export "read_loop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $read64 (i32.const 1024))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func (export "reenter") (param i32) (result i32) (call $reenter (local.get 0)))
  (func (export "spin") (loop $l (br $l)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "trap_unreachable") (unreachable))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "call_null") (call_indirect (i32.const 0)))
  (func (export "host_abort") (param i32) (call $abort (local.get 0)))
)
"#;

/// The same probe with a start function that never ends: instantiation must be stopped.
pub const SPINNING_START_WAT: &str = r#"
(module
  (memory (export "memory") 1)
  (func $spin (loop $l (br $l)))
  (start $spin))
"#;

/// A module whose initial memory (128 MiB) is above a small cap.
pub const BIG_MEMORY_WAT: &str = r#"(module (memory (export "memory") 2048))"#;

/// A module importing a function no host provides.
pub const MISSING_IMPORT_WAT: &str = r#"
(module (import "env" "proxy_does_not_exist" (func (param i32) (result i32))))
"#;

/// A module importing `host.copy64` with another signature than the host's.
pub const WRONG_SIGNATURE_WAT: &str = r#"
(module (import "host" "copy64" (func (param i32) (result i32))))
"#;

/// What the probe's host functions record.
#[derive(Debug, Default)]
pub struct ProbeState {
    /// Number of host calls made.
    pub calls: u64,
    /// The last 64 bytes `read64` copied out.
    pub last_read: Vec<u8>,
}

/// The byte sum of the probe's 64 data bytes.
pub fn data_checksum() -> i32 {
    probe_data().iter().map(|b| i32::from(*b)).sum()
}

/// The probe's 64 data bytes.
pub fn probe_data() -> &'static [u8; 64] {
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/"
}

fn probe_state(state: &mut (dyn Any + Send)) -> Result<&mut ProbeState, HostTrap> {
    state
        .downcast_mut::<ProbeState>()
        .ok_or_else(|| HostTrap::new("probe host functions need a ProbeState"))
}

/// The probe's host functions, written once for every engine.
pub fn probe_host_funcs() -> HostFuncs {
    use ValType::{I32, I64};
    let mut funcs = HostFuncs::new();
    funcs.define(
        "host",
        "copy64",
        FuncType::new([I32, I32], [I32]),
        |caller: &mut dyn Caller, args, results| {
            let (memory, state) = caller.memory_and_state();
            let state = probe_state(state)?;
            state.calls += 1;
            let Some(mut memory) = memory else {
                return Err(HostTrap::new("copy64: the guest exports no memory"));
            };
            let (src, dst) = (args[0].u32(), args[1].u32());
            let mut buf = [0u8; 64];
            let sum = match memory.read(src, 64) {
                Ok(bytes) => {
                    buf.copy_from_slice(bytes);
                    buf.iter().map(|b| i32::from(*b)).sum()
                }
                Err(_) => -1,
            };
            let sum = if sum >= 0 && memory.write(dst, &buf).is_err() {
                -1
            } else {
                sum
            };
            results[0] = Val::I32(sum);
            Ok(())
        },
    );
    funcs.define("host", "read64", FuncType::new([I32], [I32]), read64);
    funcs.define(
        "host",
        "abort",
        FuncType::new([I32], []),
        |_caller: &mut dyn Caller, args, _results| {
            Err(HostTrap::new(format!(
                "guest aborted with code {}",
                args[0].i32().unwrap_or(0)
            )))
        },
    );
    funcs.define(
        "host",
        "reenter",
        FuncType::new([I32], [I32]),
        |caller: &mut dyn Caller, args, results| {
            let mut out = [Val::I32(0)];
            caller
                .call("double", &[args[0]], &mut out)
                .map_err(|e| HostTrap::new(format!("re-entering the guest failed: {e}")))?;
            results[0] = Val::I32(out[0].i32().unwrap_or(0) + 1);
            Ok(())
        },
    );
    funcs.define(
        "host",
        "add_i64",
        FuncType::new([I64, I64], [I64]),
        |_caller: &mut dyn Caller, args, results| {
            let sum = args[0]
                .i64()
                .unwrap_or(0)
                .wrapping_add(args[1].i64().unwrap_or(0));
            results[0] = Val::I64(sum);
            Ok(())
        },
    );
    funcs
}

/// `host.read64(ptr) -> i32`: copies 64 bytes out of guest memory and returns their byte
/// sum (-1 when out of bounds). The benchmarked hostcall; each runtime's raw baseline does
/// exactly this on its engine's own API.
pub fn read64(caller: &mut dyn Caller, args: &[Val], results: &mut [Val]) -> Result<(), HostTrap> {
    let Some(memory) = caller.memory() else {
        return Err(HostTrap::new("read64: the guest exports no memory"));
    };
    let mut buf = [0u8; 64];
    let sum = match memory.read(args[0].u32(), 64) {
        Ok(bytes) => {
            buf.copy_from_slice(bytes);
            checksum(&buf)
        }
        Err(_) => -1,
    };
    results[0] = Val::I32(sum);
    Ok(())
}

/// The byte sum a raw baseline computes, shared so both sides do identical work.
pub fn checksum(bytes: &[u8]) -> i32 {
    bytes.iter().map(|b| i32::from(*b)).sum()
}

/// Compiles WAT text for tests and benches.
///
/// # Errors
/// The text does not parse.
pub fn wat(text: &str) -> Result<Vec<u8>, String> {
    wat::parse_str(text).map_err(|e| e.to_string())
}

/// What a raw-engine baseline implements (see [`crate::Registration::raw_baseline`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawCase {
    /// [`PROBE_WAT`]'s `read_loop(n)` over `host.read64` ([`read64`]).
    Read64,
    /// [`hostcall_probe_wat`]'s `get_value_loop(n)` over `host.get_value`: find the value
    /// of [`VALUE_KEY`] in [`value_pairs`], have the guest's `malloc` allocate its length,
    /// copy it there and write pointer and length to the out-params.
    GetValue,
    /// [`hostcall_probe_wat`]'s `log_loop(n)` over `host.log`: copy the message out of
    /// guest memory into an owned string and keep it (cleared before every loop). The loop
    /// returns how many calls answered OK (`n` when all did).
    Log,
}

/// The key the hostcall probe looks up, and its 20-byte value.
pub const VALUE_KEY: &[u8] = b"x-request-id";
pub const VALUE: &[u8; 20] = b"0f8fad5b-d9cb-469f-a";
/// The message the hostcall probe logs.
pub const LOG_MESSAGE: &[u8] = b"pwconf bench: request seen";
/// Where the hostcall probe keeps the key, the message and the two out-params.
pub const KEY_PTR: u32 = 1024;
pub const MESSAGE_PTR: u32 = 1100;
pub const OUT_PTR: u32 = 512;
pub const OUT_LEN: u32 = 516;
/// Where the probe's bump allocator starts; it is reset before every lookup.
pub const HEAP_BASE: u32 = 65536;

/// A realistic request header list holding [`VALUE_KEY`] last, names lowercased.
pub fn value_pairs() -> Vec<(Vec<u8>, Vec<u8>)> {
    [
        (&b":method"[..], &b"GET"[..]),
        (b":path", b"/api/v1/items?page=2"),
        (b":authority", b"example.com"),
        (b"user-agent", b"curl/8.5.0"),
        (b"accept", b"*/*"),
        (VALUE_KEY, VALUE),
    ]
    .iter()
    .map(|(k, v)| (k.to_vec(), v.to_vec()))
    .collect()
}

/// The first value of `key` (ASCII case-insensitive) in `pairs`.
pub fn find_value<'a>(pairs: &'a [(Vec<u8>, Vec<u8>)], key: &[u8]) -> Option<&'a [u8]> {
    pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_slice())
}

/// What `get_value_loop(n)` returns when every lookup succeeds (status 0, 20 bytes).
pub fn get_value_loop_result(n: i32) -> i32 {
    n.wrapping_mul(VALUE.len() as i32)
}

/// The hostcall probe: loops of `n` lookups (`get_value_loop`) or logs (`log_loop`) and a
/// bump allocator exported as `malloc`. The two imports are named by the caller, so the
/// same guest code runs against a raw baseline (`host.get_value`, `host.log`) and against
/// any host whose functions have these signatures: `get(map, key_ptr, key_len, out_ptr,
/// out_len) -> status` and `log(level, ptr, len) -> status`.
pub fn hostcall_probe_wat(get_value: (&str, &str), log: (&str, &str)) -> String {
    let (gm, gn) = get_value;
    let (lm, ln) = log;
    let key = String::from_utf8_lossy(VALUE_KEY);
    let message = String::from_utf8_lossy(LOG_MESSAGE);
    let (key_len, message_len) = (VALUE_KEY.len(), LOG_MESSAGE.len());
    format!(
        r#"(module
  (import "{gm}" "{gn}" (func $get_value (param i32 i32 i32 i32 i32) (result i32)))
  (import "{lm}" "{ln}" (func $log (param i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const {HEAP_BASE}))
  (data (i32.const {KEY_PTR}) "{key}")
  (data (i32.const {MESSAGE_PTR}) "{message}")
  (func (export "malloc") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (local.get $at) (local.get $size)))
    (local.get $at))
  (func (export "get_value_loop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (global.set $heap (i32.const {HEAP_BASE}))
        (local.set $acc (i32.add (local.get $acc)
          (call $get_value (i32.const 0) (i32.const {KEY_PTR}) (i32.const {key_len})
                           (i32.const {OUT_PTR}) (i32.const {OUT_LEN}))))
        (local.set $acc (i32.add (local.get $acc) (i32.load (i32.const {OUT_LEN}))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func (export "log_loop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc)
          (i32.eqz (call $log (i32.const 2) (i32.const {MESSAGE_PTR}) (i32.const {message_len})))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
)"#
    )
}

/// The hostcall probe as a raw baseline imports it.
pub fn raw_hostcall_probe() -> Result<Vec<u8>, String> {
    wat(&hostcall_probe_wat(("host", "get_value"), ("host", "log")))
}

/// The memory-side work of a raw `host.get_value` before the allocator runs: the index of
/// the key's pair, or the status to answer (3: the key is outside memory, 1: not found).
/// Shared by the raw baselines so each does exactly the same work on its engine.
///
/// # Errors
/// The status to answer.
pub fn raw_lookup(
    memory: &[u8],
    pairs: &[(Vec<u8>, Vec<u8>)],
    key_ptr: i32,
    key_len: i32,
) -> Result<usize, i32> {
    let key = guest_slice(memory, key_ptr, key_len).ok_or(3)?;
    pairs
        .iter()
        .position(|(k, _)| k.eq_ignore_ascii_case(key))
        .ok_or(1)
}

/// The memory-side work of a raw `host.get_value` after the allocator returned `at`: copy
/// the value there and write pointer and length to the out-params. Returns the status.
pub fn raw_deliver(memory: &mut [u8], value: &[u8], at: i32, out_ptr: i32, out_len: i32) -> i32 {
    let mut put = |ptr: i32, bytes: &[u8]| -> bool {
        let start = ptr as u32 as usize;
        match start
            .checked_add(bytes.len())
            .and_then(|end| memory.get_mut(start..end))
        {
            Some(slot) => {
                slot.copy_from_slice(bytes);
                true
            }
            None => false,
        }
    };
    let ok = at != 0
        && put(at, value)
        && put(out_ptr, &(at as u32).to_le_bytes())
        && put(out_len, &(value.len() as u32).to_le_bytes());
    if ok { 0 } else { 3 }
}

/// The work of a raw `host.log`: the message as an owned string (3: outside memory).
///
/// # Errors
/// The status to answer.
pub fn raw_log(memory: &[u8], ptr: i32, len: i32) -> Result<String, i32> {
    let bytes = guest_slice(memory, ptr, len).ok_or(3)?;
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

fn guest_slice(memory: &[u8], ptr: i32, len: i32) -> Option<&[u8]> {
    let start = ptr as u32 as usize;
    memory.get(start..start.checked_add(len as u32 as usize)?)
}
