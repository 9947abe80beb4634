//! What the benches of every crate share: the quick mode switch, where the build's
//! `target/` folder is, and the real SDK-built module some benches measure.

use std::path::{Path, PathBuf};

/// The real SDK module the "SDK module" benches load (built by `scripts/build-guests`).
pub const SDK_MODULE: &str = "guests/rust/headers-0.2.5-wasm32-unknown-unknown.wasm";

/// `PWCONF_BENCH_QUICK` is set (and not `0`): short measurements (`scripts/bench --quick`).
pub fn quick() -> bool {
    std::env::var_os("PWCONF_BENCH_QUICK").is_some_and(|v| v != "0")
}

/// The build's `target/` folder: `CARGO_TARGET_DIR`, else the workspace's, found from the
/// bench crate's manifest folder (`env!("CARGO_MANIFEST_DIR")`).
pub fn target_dir(manifest_dir: &str) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(manifest_dir).join("../../target"))
}

/// The SDK module's bytes, or `None` with the reason printed (`what` names the benches that
/// need it) when it was not built.
pub fn sdk_module(manifest_dir: &str, what: &str) -> Option<Vec<u8>> {
    sdk_guest(manifest_dir, SDK_MODULE, what)
}

/// Another SDK-built guest (`guests/<sdk>/<file>` under `target/`), likewise.
pub fn sdk_guest(manifest_dir: &str, guest: &str, what: &str) -> Option<Vec<u8>> {
    let path = target_dir(manifest_dir).join(guest);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            eprintln!(
                "not measured: {what} need {} ({e}); run scripts/build-guests",
                path.display()
            );
            None
        }
    }
}
