//! The published JSON Schema of the host-under-test protocol is generated from the Rust
//! types; this test keeps `spec/host-protocol.schema.json` equal to it.
//! `PWCONF_BLESS=1` rewrites it.

use std::path::Path;

#[test]
fn published_protocol_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/host-protocol.schema.json");
    let generated = match serde_json::to_string_pretty(&pwconf_protocol::schema()) {
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
        "{} is out of date with crates/protocol/src: rerun with PWCONF_BLESS=1 to accept",
        path.display()
    );
}

#[test]
fn the_schema_names_every_request_and_reply() {
    let text = serde_json::to_string(&pwconf_protocol::schema()).unwrap_or_default();
    for kind in [
        "hello",
        "start",
        "http",
        "tcp",
        "advance",
        "reconfigure",
        "foreign_function",
        "finish",
        "quit",
        "started",
        "done",
        "observations",
        "error",
    ] {
        assert!(text.contains(&format!("\"{kind}\"")), "the schema lacks {kind}");
    }
}
