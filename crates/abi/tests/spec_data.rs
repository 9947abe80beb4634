//! The embedded `spec/` must load, validate and reproduce the spec's own figures; a broken
//! spec file must be reported with its file and key.

use pwconf_abi::spec::{EMBEDDED_FILES, SpecFile};
use pwconf_abi::{AbiVersion, Spec};

#[test]
fn embedded_spec_is_valid() {
    if let Err(err) = Spec::load(EMBEDDED_FILES) {
        panic!("spec/ is invalid:\n{err}");
    }
}

#[test]
fn counts_match_the_spec_text() {
    let spec = Spec::embedded();
    // env.proxy_* hostcalls, proxy_on_* callbacks (allocator excluded), spec WASI functions
    let expected = [
        (AbiVersion::V0_1_0, 40, 24),
        (AbiVersion::V0_2_0, 38, 25),
        (AbiVersion::V0_2_1, 39, 25),
    ];
    for (version, hostcalls, callbacks) in expected {
        let counts = spec.counts(version);
        assert_eq!(counts.hostcalls, hostcalls, "env.proxy_* hostcalls in {version}");
        assert_eq!(counts.callbacks, callbacks, "proxy_on_* callbacks in {version}");
        assert_eq!(counts.wasi, 8, "spec WASI functions in {version}");
    }
}

#[test]
fn every_rule_group_of_the_reference_is_present() {
    let spec = Spec::embedded();
    let groups = spec.rules_by_group();
    // id ranges from shared/abi.md §6.0
    let ranges = [
        ("L", 9),
        ("R", 10),
        ("C", 5),
        ("H", 15),
        ("T", 6),
        ("D", 6),
        ("K", 4),
        ("SD", 5),
        ("Q", 5),
        ("O", 8),
        ("MT", 6),
        ("P", 3),
        ("E", 3),
        ("G", 4),
        ("F", 7),
        ("M", 5),
    ];
    for (prefix, last) in ranges {
        let rules = groups
            .get(prefix)
            .unwrap_or_else(|| panic!("no rules with prefix {prefix}"));
        for n in 1..=last {
            let id = format!("{prefix}{n}");
            assert!(
                rules.iter().any(|r| r.id == id),
                "rule {id} is missing from spec/rules.yaml"
            );
        }
    }
}

/// Replaces `from` by `to` in one embedded file and returns the load error text.
fn load_with_edit(file: &str, from: &str, to: &str) -> String {
    let files: Vec<SpecFile> = EMBEDDED_FILES
        .iter()
        .map(|f| {
            if f.path == file {
                assert!(f.text.contains(from), "{file} no longer contains {from:?}");
                let edited: &'static str = Box::leak(f.text.replacen(from, to, 1).into_boxed_str());
                SpecFile {
                    path: f.path,
                    text: edited,
                }
            } else {
                *f
            }
        })
        .collect();
    match Spec::load(&files) {
        Ok(_) => panic!("the edited spec ({file}: {from:?} -> {to:?}) was accepted"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn a_duplicate_hostcall_is_reported_with_file_and_key() {
    let err = load_with_edit(
        "spec/hostcalls.yaml",
        "name: proxy_set_effective_context",
        "name: proxy_done",
    );
    assert!(
        err.contains("spec/hostcalls.yaml: hostcalls[1].name: duplicate hostcall \"env.proxy_done\""),
        "{err}"
    );
}

#[test]
fn an_unknown_type_is_reported_with_file_and_key() {
    let err = load_with_edit("spec/hostcalls.yaml", "type: i64", "type: i33");
    assert!(err.starts_with("spec/hostcalls.yaml: hostcalls["), "{err}");
    assert!(err.contains("].type: unknown variant `i33`"), "{err}");
}

#[test]
fn a_rule_naming_a_missing_hostcall_is_reported_with_file_and_key() {
    let err = load_with_edit(
        "spec/rules.yaml",
        "- proxy_get_buffer_bytes",
        "- proxy_get_buffer_bites",
    );
    assert!(err.contains("spec/rules.yaml: rules["), "{err}");
    assert!(
        err.contains("unknown hostcall \"proxy_get_buffer_bites\""),
        "{err}"
    );
}

#[test]
fn an_unknown_key_is_rejected() {
    let err = load_with_edit(
        "spec/callbacks.yaml",
        "  - name: proxy_on_tick\n",
        "  - name: proxy_on_tick\n    colour: red\n",
    );
    assert!(err.contains("spec/callbacks.yaml: callbacks["), "{err}");
    assert!(err.contains("unknown field `colour`"), "{err}");
}

#[test]
fn an_unknown_version_is_rejected() {
    let err = load_with_edit("spec/hostcalls.yaml", "versions: [0.2.1]", "versions: [0.3.1]");
    assert!(err.contains("unknown ABI version \"0.3.1\""), "{err}");
}

#[test]
fn rust_enums_match_spec() {
    let spec = Spec::embedded();
    for (name, values) in pwconf_abi::types::rust_mirrors() {
        let Some(e) = spec.enum_named(name) else {
            panic!("spec/enums.yaml has no enum {name}");
        };
        // Negative values (gRPC's "not a gRPC response") have no wire value to mirror.
        let mut spec_values: Vec<(i64, &str)> = e
            .values
            .iter()
            .filter(|v| v.value >= 0)
            .map(|v| (v.value, v.name.as_str()))
            .collect();
        let mut rust_values: Vec<(i64, &str)> = values.iter().map(|(n, v)| (i64::from(*v), *n)).collect();
        spec_values.sort();
        rust_values.sort();
        assert_eq!(
            rust_values, spec_values,
            "enum {name}: Rust (left) vs spec/enums.yaml (right)"
        );
    }
}
