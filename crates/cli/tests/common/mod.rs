//! What the CLI tests share: running the binary, temporary suites and SDK folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn pwconf(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_pwconf"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("cannot run pwconf: {e}"),
    }
}

pub fn json(args: &[&str]) -> Value {
    let out = pwconf(args);
    assert!(
        out.status.success(),
        "pwconf {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => panic!(
            "pwconf {args:?} printed invalid JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        ),
    }
}

/// Runs a command that must fail on bad input: exit 2, one line on stderr naming `needle`.
pub fn fails_with_one_line(args: &[&str], needle: &str) {
    let out = pwconf(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "pwconf {args:?}: exit code; stderr: {stderr}"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "pwconf {args:?}: expected one line, got: {stderr}"
    );
    assert!(
        stderr.contains(needle),
        "pwconf {args:?}: {stderr:?} does not mention {needle:?}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
}

/// A usage error as clap words it: exit 2, the problem, and where to read more (clap adds
/// the usage to errors about the arguments, not to a bad value).
pub fn usage_error(args: &[&str], needle: &str) -> String {
    let out = pwconf(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "pwconf {args:?}: {stderr}");
    assert!(
        stderr.contains(needle),
        "pwconf {args:?}: {stderr:?} does not mention {needle:?}"
    );
    assert!(
        stderr.contains("For more information, try '--help'"),
        "pwconf {args:?}: not clap's whole message: {stderr:?}"
    );
    stderr
}

pub fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Err(e) = std::fs::write(&path, bytes) {
        panic!("writing {}: {e}", path.display());
    }
    path
}

pub fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    }
}

pub fn repo_path(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
        .display()
        .to_string()
}

/// A small suite in a temporary folder: two passing cases (one of them for two ABI
/// versions) and one that fails, listed as a divergence on wasmi only.
pub fn temp_suite() -> tempfile::TempDir {
    let dir = tempdir();
    let root = dir.path();
    let base = std::fs::read_to_string(repo_path("conformance/lib/base.wat")).unwrap_or_default();
    std::fs::create_dir_all(root.join("lib")).unwrap_or_default();
    std::fs::create_dir_all(root.join("lifecycle")).unwrap_or_default();
    write_temp(&root.join("lib"), "base.wat", base.as_bytes());
    let case = |abi: &str| format!("description: a case\nrules: [R1]\nabi: [{abi}]\nsteps: []\n");
    let lifecycle = root.join("lifecycle");
    write_temp(&lifecycle, "ok_one.yaml", case("0.2.1").as_bytes());
    write_temp(&lifecycle, "ok_one.wat", b"(module\n;; @include base\n)\n");
    write_temp(&lifecycle, "ok_two.yaml", case("0.2.0, 0.2.1").as_bytes());
    write_temp(&lifecycle, "ok_two.wat", b"(module\n;; @include base\n)\n");
    write_temp(&lifecycle, "bad.yaml", case("0.2.1").as_bytes());
    write_temp(
        &lifecycle,
        "bad.wat",
        b"(module\n;; @include base\n  (func (export \"proxy_on_vm_start\") (param i32 i32) (result i32)\n    (call $check_eq (i32.const 0) (i32.const 4) (i32.const 1) (i32.const 2))\n    (i32.const 1)))\n",
    );
    write_temp(
        root,
        "divergences.yaml",
        b"divergences:\n  - {case: lifecycle/bad, backend: wasmi, reason: known here}\n",
    );
    dir
}

/// An SDK folder (one with a versions.tsv) in a temporary directory.
pub fn sdk_folder(versions: &str) -> tempfile::TempDir {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    write_temp(dir.path(), "versions.tsv", versions.as_bytes());
    let scenarios = dir.path().join("rust/echo/scenarios");
    if let Err(e) = std::fs::create_dir_all(&scenarios) {
        panic!("creating {}: {e}", scenarios.display());
    }
    write_temp(
        &scenarios,
        "one.yaml",
        b"description: x\nsteps: []\nexpect:\n  start_failures: []\n",
    );
    dir
}
