//! The hostcall table and `spec/` name the same hostcalls, per ABI version: every hostcall
//! the spec lists for a version is linked for it with an implementation (none falls back
//! to UNIMPLEMENTED), nothing else is linked, and no implementation is of a hostcall the
//! spec does not have.

use std::collections::BTreeSet;

use pwconf_abi::{AbiVersion, Spec};
use pwconf_host::hostcalls::{host_funcs, implementation, implemented};

#[test]
fn every_version_links_exactly_the_spec_hostcalls() {
    let spec = Spec::embedded();
    for abi in AbiVersion::ALL {
        let wanted: BTreeSet<(String, String)> = spec
            .hostcalls_for(abi)
            .flat_map(|h| {
                std::iter::once((h.module.clone(), h.name.clone()))
                    .chain(h.aliases.iter().map(|a| (a.clone(), h.name.clone())))
            })
            .collect();
        let linked: BTreeSet<(String, String)> = host_funcs(abi)
            .iter()
            .map(|f| (f.module.to_string(), f.name.to_string()))
            .collect();
        let missing: Vec<_> = wanted.difference(&linked).collect();
        let extra: Vec<_> = linked.difference(&wanted).collect();
        assert!(
            missing.is_empty(),
            "{abi}: spec hostcalls not linked: {missing:?}"
        );
        assert!(
            extra.is_empty(),
            "{abi}: linked but not in spec/ for {abi}: {extra:?}"
        );
        let unimplemented: Vec<&str> = spec
            .hostcalls_for(abi)
            .filter(|h| implementation(&h.name).is_none())
            .map(|h| h.name.as_str())
            .collect();
        assert!(
            unimplemented.is_empty(),
            "{abi}: spec hostcalls without a body: {unimplemented:?}"
        );
    }
}

#[test]
fn every_implementation_is_a_spec_hostcall() {
    let spec = Spec::embedded();
    let unknown: Vec<&str> = implemented()
        .filter(|name| !spec.hostcalls.iter().any(|h| h.name == *name))
        .collect();
    assert!(unknown.is_empty(), "implemented but not in spec/: {unknown:?}");
    let mut seen = BTreeSet::new();
    let twice: Vec<&str> = implemented().filter(|n| !seen.insert(*n)).collect();
    assert!(twice.is_empty(), "implemented twice: {twice:?}");
}

#[test]
fn the_restricted_phases_name_spec_hostcalls() {
    let spec = Spec::embedded();
    let phases = &spec.phases;
    assert!(
        phases.startup.hostcalls.iter().any(|h| h == "proxy_log"),
        "spec/hostcalls.yaml has no `phases:` (start-up may call proxy_log)"
    );
    for name in phases.startup.hostcalls.iter().chain(&phases.allocator.hostcalls) {
        assert!(
            spec.hostcalls.iter().any(|h| &h.name == name),
            "phases: {name} is not a spec hostcall"
        );
    }
    for module in phases.startup.modules.iter().chain(&phases.allocator.modules) {
        assert!(
            spec.hostcalls
                .iter()
                .any(|h| &h.module == module || h.aliases.contains(module)),
            "phases: no hostcall is imported from {module}"
        );
    }
}

/// Every `"proxy_on_*"` the host calls by name is a callback of `spec/`, so a typo or a
/// renamed callback fails here rather than silently never being called.
#[test]
fn every_callback_the_host_names_is_a_spec_callback() {
    let spec = Spec::embedded();
    let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut unknown = BTreeSet::new();
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (at, _) in text.match_indices("\"proxy_on_") {
                let name: String = text[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                seen += 1;
                if spec.callback(&name).is_none() {
                    unknown.insert(format!("{}: {name}", path.display()));
                }
            }
        }
    }
    assert!(seen > 10, "only {seen} callback names found in crates/host/src");
    assert!(unknown.is_empty(), "not callbacks of spec/: {unknown:?}");
}
