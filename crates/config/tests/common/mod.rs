//! Helpers shared by the tests: a scratch folder with a module in it, configuration text
//! around a filter entry, and a one-shot loopback HTTP server.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pwconf_config::{ConfigError, HostConfig, LoadOptions, load_config};

/// A scratch folder holding `my-plugin.wasm` (an empty module).
pub struct Scratch {
    pub dir: tempfile::TempDir,
    pub module: Vec<u8>,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("temp dir");
        let module = wat::parse_str("(module)").expect("wat");
        std::fs::write(dir.path().join("my-plugin.wasm"), &module).expect("write module");
        Scratch { dir, module }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `text` as `envoy.yaml` in the folder and loads it.
    pub fn load(&self, text: &str) -> Result<HostConfig, ConfigError> {
        self.load_with(text, &pwconf_engines::load_options())
    }

    pub fn load_with(&self, text: &str, options: &LoadOptions) -> Result<HostConfig, ConfigError> {
        let file = self.path("envoy.yaml");
        std::fs::write(&file, text).expect("write config");
        load_config(&file, options)
    }

    /// Loads `text` and returns the error's message, failing the test if it loads.
    pub fn error(&self, text: &str) -> String {
        match self.load(text) {
            Ok(config) => panic!("expected an error, loaded {config:#?}"),
            Err(err) => {
                let message = err.to_string();
                assert!(!message.contains('\n'), "not one line: {message}");
                message
            }
        }
    }
}

/// Indents every line of `text` by `spaces`.
pub fn indent(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A bootstrap with one listener whose http_connection_manager has `http_filters`
/// (YAML list items, unindented) followed by the router.
pub fn bootstrap_with_http_filters(http_filters: &str) -> String {
    format!(
        r#"admin:
  address:
    socket_address: {{ address: 127.0.0.1, port_value: 9901 }}
static_resources:
  listeners:
  - name: main
    address:
      socket_address: {{ address: 0.0.0.0, port_value: 10000 }}
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: ingress_http
          route_config:
            name: local_route
            virtual_hosts:
            - name: local_service
              domains: ["*"]
              routes:
              - match: {{ prefix: "/" }}
                route: {{ cluster: web_service }}
          http_filters:
{}
          - name: envoy.filters.http.router
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:
  - name: web_service
    type: STRICT_DNS
    load_assignment:
      cluster_name: web_service
      endpoints:
      - lb_endpoints:
        - endpoint:
            address:
              socket_address: {{ address: web, port_value: 80 }}
"#,
        indent(http_filters, 10)
    )
}

/// A short-form document with one HTTP plugin whose `vm_config` is `vm` (YAML mapping
/// body, unindented).
pub fn short_form_vm(vm: &str) -> String {
    format!("http_filters:\n- name: p\n  vm_config:\n{}\n", indent(vm, 4))
}

/// What a served request looked like.
#[derive(Debug)]
pub struct Served {
    pub requests: Vec<String>,
}

/// A loopback HTTP server on 127.0.0.1 (port 0) that answers at most `responses.len()`
/// requests, in order, with `(status, body)`, then stops. It also stops after `deadline`
/// even if fewer requests came, so no test can hang on it.
pub fn serve(responses: Vec<(u16, Vec<u8>)>, deadline: Duration) -> (String, JoinHandle<Served>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("local addr"));
    listener.set_nonblocking(true).expect("nonblocking");
    let handle = std::thread::spawn(move || {
        let end = Instant::now() + deadline;
        let mut requests = Vec::new();
        let mut pending = responses.into_iter();
        let mut next = pending.next();
        while let Some((status, body)) = next.take() {
            if Instant::now() >= end {
                break;
            }
            match listener.accept() {
                Ok((stream, _)) => {
                    requests.push(answer(stream, status, &body));
                    next = pending.next();
                }
                Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5));
                    next = Some((status, body));
                }
                Err(_) => break,
            }
        }
        Served { requests }
    });
    (base, handle)
}

/// Reads one request head and writes one response; returns the request line.
fn answer(mut stream: TcpStream, status: u16, body: &[u8]) -> String {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let reason = if status == 200 { "OK" } else { "Error" };
    let header = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nContent-Type: application/wasm\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
    String::from_utf8_lossy(&head)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned()
}

/// Lower-case hex SHA-256, computed independently of the crate.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn files_in(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Fails with the whole message when `part` is not in it.
#[track_caller]
pub fn assert_contains(message: &str, part: &str) {
    assert!(message.contains(part), "expected {part:?} in:\n{message}");
}
