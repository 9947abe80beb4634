//! The published JSON Schema of the scenario format is generated from the Rust types;
//! this test keeps `spec/scenario.schema.json` equal to it. `PWCONF_BLESS=1` rewrites it.

use std::path::Path;

#[test]
fn published_scenario_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/scenario.schema.json");
    let generated = match serde_json::to_string_pretty(&pwconf_host::scenario::schema()) {
        Ok(text) => text + "\n",
        Err(e) => panic!("serializing the schema: {e}"),
    };
    if std::env::var_os("PWCONF_BLESS").is_some() {
        if let Err(e) = std::fs::write(&path, &generated) {
            panic!("writing {}: {e}", path.display());
        }
        return;
    }
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        published == generated,
        "{} is out of date with crates/host/src/scenario.rs: rerun with PWCONF_BLESS=1 to accept",
        path.display()
    );
}

#[test]
fn every_scenario_in_the_repository_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance");
    let mut stack = vec![root];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let name = path.to_string_lossy().into_owned();
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".scenario.yaml")
                || (name.contains("/scenarios/") && name.ends_with(".yaml"))
            {
                if let Err(e) = pwconf_host::scenario::load(&path) {
                    panic!("{e}");
                }
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "no scenario found under conformance/");
}

#[test]
fn a_typo_in_a_scenario_names_its_path() {
    let text = "steps:\n  - http:\n      request: {headers: {':path': /}}\n      expect: {downstream: {statuss: 200}}\n";
    let err = match pwconf_host::scenario::parse(text, "typo.yaml") {
        Ok(_) => panic!("a typo was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.starts_with("typo.yaml: steps[0].http.expect.downstream"),
        "{err}"
    );
    assert!(err.contains("unknown field `statuss`"), "{err}");
    let err = match pwconf_host::scenario::parse(
        "steps:\n  - {advance_time: 5, tcp: {events: []}}\n",
        "two.yaml",
    ) {
        Ok(_) => panic!("a step with two kinds was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("steps[0]: a step has exactly one of"), "{err}");
}
