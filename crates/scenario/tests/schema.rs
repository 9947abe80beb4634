//! The published JSON Schema of the scenario format is generated from the Rust types;
//! this test keeps `spec/scenario.schema.json` equal to it. `PWCONF_BLESS=1` rewrites it.

use std::path::Path;

#[test]
fn published_scenario_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/scenario.schema.json");
    let generated = match serde_json::to_string_pretty(&pwconf_scenario::schema()) {
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
        "{} is out of date with crates/scenario/src/model.rs: rerun with PWCONF_BLESS=1 to accept",
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
                if let Err(e) = pwconf_scenario::load(&path) {
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
    let err = match pwconf_scenario::parse(text, "typo.yaml") {
        Ok(_) => panic!("a typo was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.starts_with("typo.yaml: steps[0].http.expect.downstream"),
        "{err}"
    );
    assert!(err.contains("unknown field `statuss`"), "{err}");
    let err = match pwconf_scenario::parse("steps:\n  - {advance_time: 5, tcp: {events: []}}\n", "two.yaml") {
        Ok(_) => panic!("a step with two kinds was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("steps[0]: a step has exactly one of"), "{err}");
}

/// Whether `value` fits `schema` for the keywords a step's schema uses (`oneOf`, `type:
/// object`, `required`, `properties` by presence, `additionalProperties: false`): enough to
/// ask the published schema itself which step shapes it accepts.
fn fits(schema: &serde_json::Value, value: &serde_json::Value) -> bool {
    if let Some(options) = schema.get("oneOf").and_then(|o| o.as_array()) {
        return options.iter().filter(|o| fits(o, value)).count() == 1;
    }
    let Some(object) = value.as_object() else {
        return schema.get("type").is_none_or(|t| t != "object");
    };
    let required = schema
        .get("required")
        .and_then(|r| r.as_array())
        .cloned()
        .unwrap_or_default();
    if !required
        .iter()
        .all(|k| k.as_str().is_some_and(|k| object.contains_key(k)))
    {
        return false;
    }
    if schema.get("additionalProperties") == Some(&serde_json::Value::Bool(false)) {
        let known = schema.get("properties").and_then(|p| p.as_object());
        if !object.keys().all(|k| known.is_some_and(|p| p.contains_key(k))) {
            return false;
        }
    }
    true
}

#[test]
fn the_schema_accepts_a_step_of_exactly_one_kind() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/scenario.schema.json"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let items = &schema["properties"]["steps"]["items"]["$ref"];
    assert_eq!(items, "#/$defs/Step", "steps are not a list of Step");
    let step = &schema["$defs"]["Step"];
    let fits_step = |v: serde_json::Value| fits(step, &v);
    assert!(
        fits_step(serde_json::json!({"advance_time": 5})),
        "one kind is refused"
    );
    assert!(
        fits_step(serde_json::json!({"http": {"request": {}}})),
        "an http step is refused"
    );
    assert!(
        !fits_step(serde_json::json!({})),
        "the schema accepts a step with no kind"
    );
    assert!(
        !fits_step(serde_json::json!({"advance_time": 5, "tcp": {"events": []}})),
        "the schema accepts a step with two kinds"
    );
    assert!(
        !fits_step(serde_json::json!({"sleep": 5})),
        "the schema accepts an unknown kind"
    );
    // The parser agrees with the schema.
    for (yaml, what) in [
        ("steps: [{}]\n", "no kind"),
        ("steps: [{advance_time: 5, tcp: {events: []}}]\n", "two kinds"),
    ] {
        match pwconf_scenario::parse(yaml, "step.yaml") {
            Ok(_) => panic!("a step with {what} was parsed"),
            Err(e) => assert!(
                e.to_string().contains("steps[0]: a step has exactly one of"),
                "{e}"
            ),
        }
    }
}
