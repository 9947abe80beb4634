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
