//! HTTP callouts to a cluster with a real endpoint go over the wire to that server (here
//! a loopback server of the test's own), and its answer reaches the calling root as
//! `proxy_on_http_call_response`, on every backend; an endpoint that refuses connections
//! arrives as a reset (no headers).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;

use pwconf_abi::AbiVersion;
use pwconf_scenario::{self as scenario, ConfigSource};
use pwconf_suite::{Suite, module_text};

/// Serves `count` connections with one canned answer, and returns what each request said.
fn serve(count: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let address = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let handle = std::thread::spawn(move || {
        let mut requests = Vec::new();
        for _ in 0..count {
            let Ok((mut stream, _)) = listener.accept() else {
                break;
            };
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            // headers, then the 4-byte body the module sends
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen);
                if text.contains("\r\n\r\n") && text.ends_with("ping") {
                    break;
                }
            }
            requests.push(String::from_utf8_lossy(&seen).into_owned());
            let answer =
                "HTTP/1.1 201 Created\r\nx-real: yes\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello";
            let _ = stream.write_all(answer.as_bytes());
        }
        requests
    });
    (address, handle)
}

fn run(dir: &Path, address: &str, backend: &str) -> (Vec<String>, Vec<String>) {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real_upstream.wat"))
            .unwrap_or_else(|e| panic!("real_upstream.wat: {e}"));
    let text = module_text(&source, &Suite::repo_root().join("lib"), Some(AbiVersion::V0_2_1))
        .unwrap_or_else(|e| panic!("{e}"));
    let module = dir.join("caller.wat");
    std::fs::write(&module, text).unwrap_or_else(|e| panic!("{e}"));
    let yaml = format!(
        "config:\n  http_filters: [{{name: caller, vm_config: {{runtime: pwconf.wasmtime}}}}]\n  clusters: [{{name: backend, address: \"{address}\"}}]\nworkers: 1\nsteps: []\n"
    );
    let scenario_path = dir.join("real.yaml");
    std::fs::write(&scenario_path, &yaml).unwrap_or_else(|e| panic!("{e}"));
    let scenario = scenario::parse(&yaml, "real.yaml").unwrap_or_else(|e| panic!("{e}"));
    let config = scenario
        .resolve_config(
            &scenario_path,
            &ConfigSource {
                config: None,
                module: Some(module),
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let mut host = pwconf_suite::reference_host(backend).unwrap_or_else(|e| panic!("{e}"));
    let (report, _) = scenario
        .run(&mut host, &scenario.start(config, 1, false))
        .unwrap_or_else(|e| panic!("{backend}: {e}"));
    let logs = report.logs.iter().map(|l| l.message.clone()).collect();
    let callbacks = report
        .trace
        .iter()
        .flat_map(|t| &t.events)
        .filter_map(|e| match e {
            pwconf_scenario::observe::TraceEvent::Callback { name, args, .. } => {
                Some(format!("{name}{args:?}"))
            }
            _ => None,
        })
        .collect();
    (logs, callbacks)
}

#[test]
fn callout_reaches_a_real_server_on_every_backend() {
    let backends: Vec<&str> = pwconf_engines::REGISTRATIONS.iter().map(|r| r.name).collect();
    let (address, server) = serve(backends.len());
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for backend in &backends {
        let (logs, _) = run(dir.path(), &address, backend);
        assert!(
            logs.iter().any(|l| l == "answer 201 x-real=yes body=hello"),
            "{backend}: {logs:?}"
        );
        assert!(
            !logs.iter().any(|l| l.starts_with("pwconf-fail")),
            "{backend}: {logs:?}"
        );
    }
    let requests = server.join().unwrap_or_default();
    assert_eq!(requests.len(), backends.len());
    for request in requests {
        let lower = request.to_ascii_lowercase();
        assert!(request.starts_with("POST /hello?x=1 HTTP/1.1\r\n"), "{request}");
        assert!(lower.contains("\r\nhost: backend.local\r\n"), "{request}");
        assert!(lower.contains("\r\nx-from: pwconf\r\n"), "{request}");
        assert!(request.ends_with("\r\n\r\nping"), "{request}");
    }
}

#[test]
fn refused_connection_arrives_as_a_reset() {
    // A port that was just free: nothing listens there.
    let address = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (_, callbacks) = run(dir.path(), &address, "wasmi");
    assert!(
        callbacks
            .iter()
            .any(|c| c == "proxy_on_http_call_response[1, 4, 0, 0, 0]"),
        "{callbacks:?}"
    );
}
