//! The header-heavy workload gateways publish, as a Wasm filter: per request, 20 header
//! adds, 20 gets (each value checked) and 20 removes. Host-call-bound by design: nearly
//! all of its time is in the hostcalls and the header map.

/// How many headers it adds, reads back and removes.
pub const HEADERS: usize = 20;
const NAMES_AT: usize = 2048;
const VALUE_AT: usize = 1024;
const VALUE: &str = "bench-value-0123456789";
const OUT_PTR: i32 = 512;
const OUT_LEN: i32 = 516;
const HEAP_BASE: i64 = 65536;

/// The name of header `i`: `x-bench-NN`, 10 bytes at `NAMES_AT + 16 i`.
pub fn name(i: usize) -> String {
    format!("x-bench-{i:02}")
}

/// The filter as WAT (ABI 0.2.1): a get that fails or returns another length traps.
pub fn wat() -> String {
    let names: String = (0..HEADERS)
        .map(|i| format!("  (data (i32.const {}) \"{}\")\n", NAMES_AT + 16 * i, name(i)))
        .collect();
    let value_len = VALUE.len();
    format!(
        r#"(module
  (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_remove_header_map_value" (func $remove (param i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const {HEAP_BASE}))
  (data (i32.const {VALUE_AT}) "{VALUE}")
{names}
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (local.get $at) (local.get $size)))
    (local.get $at))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (local $i i32)
    (local $name i32)
    (global.set $heap (i32.const {HEAP_BASE}))
    (loop $adds
      (local.set $name (i32.add (i32.const {NAMES_AT}) (i32.mul (local.get $i) (i32.const 16))))
      (if (call $add (i32.const 0) (local.get $name) (i32.const 10) (i32.const {VALUE_AT}) (i32.const {value_len}))
        (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $adds (i32.lt_u (local.get $i) (i32.const {HEADERS}))))
    (local.set $i (i32.const 0))
    (loop $gets
      (local.set $name (i32.add (i32.const {NAMES_AT}) (i32.mul (local.get $i) (i32.const 16))))
      (if (call $get (i32.const 0) (local.get $name) (i32.const 10) (i32.const {OUT_PTR}) (i32.const {OUT_LEN}))
        (then unreachable))
      (if (i32.ne (i32.load (i32.const {OUT_LEN})) (i32.const {value_len}))
        (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $gets (i32.lt_u (local.get $i) (i32.const {HEADERS}))))
    (local.set $i (i32.const 0))
    (loop $removes
      (local.set $name (i32.add (i32.const {NAMES_AT}) (i32.mul (local.get $i) (i32.const 16))))
      (if (call $remove (i32.const 0) (local.get $name) (i32.const 10))
        (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $removes (i32.lt_u (local.get $i) (i32.const {HEADERS}))))
    (i32.const 0))
)"#
    )
}

/// The filter as Wasm bytes.
pub fn wasm() -> Vec<u8> {
    match pwconf_backend::testkit::wat(&wat()) {
        Ok(w) => w,
        Err(e) => panic!("headers_20 filter WAT: {e}"),
    }
}
