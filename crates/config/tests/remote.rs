//! Remote code against a loopback HTTP server started by each test: fetch, hash check,
//! cache, retries and timeouts. Every server answers a fixed number of requests and stops
//! by a deadline.

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::{Scratch, assert_contains, files_in, serve, sha256};
use pwconf_config::{ConfigError, LoadOptions};

const DEADLINE: Duration = Duration::from_secs(20);

fn remote_config(uri: &str, sha: &str, extra: &str) -> String {
    format!(
        r#"http_filters:
- name: remote
  vm_config:
    runtime: envoy.wasm.runtime.v8
    code:
      remote:
        http_uri:
          uri: "{uri}"
          cluster: wasm_server
          timeout: 5s
        sha256: "{sha}"
{extra}"#
    )
}

fn fast_retries(num_retries: u32) -> String {
    format!(
        "        retry_policy:\n          num_retries: {num_retries}\n          retry_back_off: {{ base_interval: 0.01s, max_interval: 20ms }}\n"
    )
}

fn options(scratch: &Scratch) -> LoadOptions {
    LoadOptions {
        cache_dir: Some(scratch.path("cache")),
        ..pwconf_engines::load_options()
    }
}

#[test]
fn right_sha256_loads_caches_and_the_cache_serves_later() {
    let scratch = Scratch::new();
    let module = wat::parse_str("(module (func (export \"remote\")))").expect("wat");
    let sha = sha256(&module);
    let (base, server) = serve(vec![(200, module.clone())], DEADLINE);
    let uri = format!("{base}/plugins/remote.wasm");
    // Upper-case hex is accepted.
    let text = remote_config(&uri, &sha.to_ascii_uppercase(), "");

    let config = scratch.load_with(&text, &options(&scratch)).expect("fetches");
    let vm = &config.http_filters[0].vm;
    assert_eq!(*vm.code, module);
    assert_eq!(vm.code_sha256, sha);
    assert_eq!(vm.code_origin, uri);
    let cached = scratch.path("cache").join(format!("{sha}.wasm"));
    assert_eq!(std::fs::read(&cached).expect("cached"), module);
    assert_eq!(
        files_in(&scratch.path("cache")),
        [format!("{sha}.wasm")],
        "no temp file left"
    );

    let served = server.join().expect("server");
    assert_eq!(served.requests, ["GET /plugins/remote.wasm HTTP/1.1"]);

    // The server has answered its one request and is gone; the cache is used.
    let config = scratch.load_with(&text, &options(&scratch)).expect("from cache");
    assert_eq!(*config.http_filters[0].vm.code, module);
    assert_eq!(config.http_filters[0].vm.code_origin, uri);

    // Without the cache, the same load fails: nothing is listening any more.
    let err = scratch
        .load_with(
            &text.replace("timeout: 5s", "timeout: 1s"),
            &pwconf_engines::load_options(),
        )
        .expect_err("server gone");
    assert!(matches!(err, ConfigError::Fetch { .. }), "{err}");
}

#[test]
fn wrong_sha256_is_an_error_and_nothing_is_cached() {
    let scratch = Scratch::new();
    let module = wat::parse_str("(module)").expect("wat");
    let actual = sha256(&module);
    let expected = sha256(b"something else");
    let (base, server) = serve(vec![(200, module)], DEADLINE);
    let uri = format!("{base}/m.wasm");
    let err = scratch
        .load_with(&remote_config(&uri, &expected, ""), &options(&scratch))
        .expect_err("mismatch");
    let message = err.to_string();
    assert!(matches!(err, ConfigError::Sha256Mismatch { .. }), "{message}");
    assert_contains(&message, &expected);
    assert_contains(&message, &actual);
    assert_contains(&message, &uri);
    assert_contains(
        &message,
        ": http_filters[0].vm_config.code.remote.sha256: sha256 mismatch for",
    );
    assert!(files_in(&scratch.path("cache")).is_empty(), "nothing cached");
    // A mismatch is not a transient failure: it is not retried.
    assert_eq!(server.join().expect("server").requests.len(), 1);
}

#[test]
fn a_stale_cache_file_is_refetched() {
    let scratch = Scratch::new();
    let module = wat::parse_str("(module)").expect("wat");
    let sha = sha256(&module);
    std::fs::create_dir_all(scratch.path("cache")).expect("mkdir");
    std::fs::write(scratch.path("cache").join(format!("{sha}.wasm")), b"corrupt").expect("write");
    let (base, server) = serve(vec![(200, module.clone())], DEADLINE);
    let config = scratch
        .load_with(
            &remote_config(&format!("{base}/m.wasm"), &sha, ""),
            &options(&scratch),
        )
        .expect("refetches");
    assert_eq!(*config.http_filters[0].vm.code, module);
    assert_eq!(
        std::fs::read(scratch.path("cache").join(format!("{sha}.wasm"))).expect("read"),
        module
    );
    assert_eq!(server.join().expect("server").requests.len(), 1);
}

#[test]
fn unreachable_uri_fails_after_the_retries() {
    let scratch = Scratch::new();
    // A port that was just free: nothing listens on it.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let uri = format!("http://127.0.0.1:{port}/m.wasm");
    let err = scratch
        .load_with(
            &remote_config(&uri, &sha256(b"x"), &fast_retries(1)),
            &options(&scratch),
        )
        .expect_err("unreachable");
    let message = err.to_string();
    let ConfigError::Fetch { attempts, .. } = &err else {
        panic!("not a fetch error: {message}");
    };
    assert_eq!(*attempts, 2, "one try and one retry");
    assert_contains(
        &message,
        &format!(": http_filters[0].vm_config.code.remote: fetching {uri} failed after 2 attempt(s): "),
    );
    assert!(files_in(&scratch.path("cache")).is_empty());
}

#[test]
fn the_default_is_one_retry() {
    let scratch = Scratch::new();
    let module = wat::parse_str("(module)").expect("wat");
    let sha = sha256(&module);
    let (base, server) = serve(vec![(503, b"busy".to_vec()), (200, module.clone())], DEADLINE);
    // No retry_policy: Envoy's default of one retry after a one-second back-off.
    let started = Instant::now();
    let config = scratch
        .load_with(
            &remote_config(&format!("{base}/m.wasm"), &sha, ""),
            &pwconf_engines::load_options(),
        )
        .expect("second attempt succeeds");
    assert!(started.elapsed() >= Duration::from_millis(900), "backed off");
    assert_eq!(*config.http_filters[0].vm.code, module);
    assert_eq!(server.join().expect("server").requests.len(), 2);
}

#[test]
fn num_retries_bounds_the_attempts() {
    let scratch = Scratch::new();
    let responses = vec![(503, b"busy".to_vec()); 3];
    let (base, server) = serve(responses, DEADLINE);
    let err = scratch
        .load_with(
            &remote_config(&format!("{base}/m.wasm"), &sha256(b"x"), &fast_retries(2)),
            &pwconf_engines::load_options(),
        )
        .expect_err("always busy");
    let message = err.to_string();
    assert_contains(&message, "failed after 3 attempt(s): HTTP status 503");
    assert_eq!(server.join().expect("server").requests.len(), 3);
}

#[test]
fn the_timeout_is_applied() {
    let scratch = Scratch::new();
    // Accepts connections (the kernel does) but never answers.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let uri = format!("http://{}/m.wasm", silent.local_addr().expect("addr"));
    let text = remote_config(&uri, &sha256(b"x"), &fast_retries(0))
        .replace("timeout: 5s", "timeout: { seconds: 0, nanos: 200000000 }");
    let started = Instant::now();
    let err = scratch
        .load_with(&text, &pwconf_engines::load_options())
        .expect_err("times out");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let message = err.to_string();
    assert_contains(&message, "failed after 1 attempt(s):");
    assert!(
        message.to_lowercase().contains("timeout") || message.to_lowercase().contains("timed out"),
        "{message}"
    );
    drop(silent);
}

#[test]
fn one_remote_module_is_fetched_once_per_load() {
    let scratch = Scratch::new();
    let module = wat::parse_str("(module)").expect("wat");
    let sha = sha256(&module);
    let (base, server) = serve(vec![(200, module.clone())], DEADLINE);
    let uri = format!("{base}/m.wasm");
    let one = remote_config(&uri, &sha, "");
    let two = format!(
        "{one}{}",
        one.replacen("http_filters:\n", "", 1)
            .replace("name: remote", "name: again")
    );
    let config = scratch
        .load_with(&two, &pwconf_engines::load_options())
        .expect("loads");
    assert_eq!(config.http_filters.len(), 2);
    assert!(std::sync::Arc::ptr_eq(
        &config.http_filters[0].vm.code,
        &config.http_filters[1].vm.code
    ));
    assert_eq!(server.join().expect("server").requests.len(), 1);
}

#[test]
fn remote_fields_are_checked_before_any_fetch() {
    let scratch = Scratch::new();
    let cases = [
        (
            remote_config("http://127.0.0.1:1/m.wasm", "", "").replace("        sha256: \"\"\n", ""),
            "http_filters[0].vm_config.code.remote: missing field `sha256`",
        ),
        (
            remote_config("http://127.0.0.1:1/m.wasm", "abc", ""),
            "http_filters[0].vm_config.code.remote.sha256: `abc` is not a SHA-256",
        ),
        (
            remote_config("ftp://127.0.0.1:1/m.wasm", &sha256(b"x"), ""),
            "http_filters[0].vm_config.code.remote.http_uri.uri: `ftp://127.0.0.1:1/m.wasm` is not an http:// or https:// URI",
        ),
        (
            remote_config("http://127.0.0.1:1/m.wasm", &sha256(b"x"), "")
                .replace("timeout: 5s", "timeout: 5"),
            "http_filters[0].vm_config.code.remote.http_uri.timeout: invalid type: integer `5`, expected a duration",
        ),
        (
            remote_config("http://127.0.0.1:1/m.wasm", &sha256(b"x"), "")
                .replace("timeout: 5s", "timeout: 0s"),
            "http_filters[0].vm_config.code.remote.http_uri.timeout: the timeout must be greater than zero",
        ),
        (
            remote_config("http://127.0.0.1:1/m.wasm", &sha256(b"x"), "")
                .replace("          timeout: 5s\n", ""),
            "http_filters[0].vm_config.code.remote.http_uri: missing field `timeout`",
        ),
        (
            remote_config(
                "http://127.0.0.1:1/m.wasm",
                &sha256(b"x"),
                "        retry_policy: { num_retries: -1 }\n",
            ),
            "http_filters[0].vm_config.code.remote.retry_policy.num_retries: invalid value",
        ),
        (
            remote_config(
                "http://127.0.0.1:1/m.wasm",
                &sha256(b"x"),
                "        retry_policy: { retry_back_off: { base_interval: 1s, max_interval: 10ms } }\n",
            ),
            "http_filters[0].vm_config.code.remote.retry_policy.retry_back_off.max_interval: must not be less than base_interval",
        ),
        (
            remote_config(
                "http://127.0.0.1:1/m.wasm",
                &sha256(b"x"),
                "        retry_policy: { retries: 3 }\n",
            ),
            "http_filters[0].vm_config.code.remote.retry_policy.retries: unknown field `retries`",
        ),
        (
            // A later plugin's typo is found before the first plugin's code is fetched.
            format!(
                "{}- vm_config: {{ runtme: wasmi }}\n",
                remote_config("http://127.0.0.1:1/m.wasm", &sha256(b"x"), "")
            ),
            "http_filters[1].vm_config.runtme: unknown field `runtme`",
        ),
    ];
    for (text, expected) in cases {
        let started = Instant::now();
        let message = scratch.error(&text);
        assert!(message.contains(expected), "{expected}\n{message}");
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "fetched? {message}"
        );
    }
}

#[test]
fn fetched_bytes_must_be_a_wasm_binary() {
    let scratch = Scratch::new();
    let text = b"(module)".to_vec();
    let sha = sha256(&text);
    let (base, server) = serve(vec![(200, text)], DEADLINE);
    let message = scratch
        .load_with(
            &remote_config(&format!("{base}/m.wat"), &sha, ""),
            &pwconf_engines::load_options(),
        )
        .expect_err("not binary")
        .to_string();
    assert_contains(&message, "is not a Wasm binary module");
    server.join().expect("server");
}
