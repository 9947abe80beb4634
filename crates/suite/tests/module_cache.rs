//! Linked modules are cached across runs by code hash, engine fingerprint and ABI version:
//! a second run of the same module on the same engine compiles nothing, another engine
//! compiles its own.

use pwconf_host::ReferenceHost;
use pwconf_host::proxy::{Backends, ModuleCache};
use pwconf_scenario::HostUnderTest;

const SCENARIO: &str = r#"
config:
  http_filters:
    - name: cached
      vm_config:
        runtime: pwconf.wasmi
        code:
          local:
            inline_string: |
              (module
                (memory (export "memory") 1)
                (func (export "malloc") (param i32) (result i32) (i32.const 1024))
                (func (export "proxy_on_context_create") (param i32 i32))
                (func (export "proxy_abi_version_0_2_1"))
                (data (i32.const 0) "module_cache test"))
workers: 1
steps:
  - http: {request: {headers: {":path": "/"}}}
"#;

fn run(host: &mut dyn HostUnderTest) {
    let scenario = pwconf_scenario::parse(SCENARIO, "module_cache.yaml").unwrap_or_else(|e| panic!("{e}"));
    let source = pwconf_scenario::ConfigSource {
        options: pwconf_engines::load_options(),
        ..Default::default()
    };
    let config = scenario
        .resolve_config(std::path::Path::new("module_cache.yaml"), &source)
        .unwrap_or_else(|e| panic!("{e}"));
    let (_, checks) = scenario
        .run(host, &scenario.start(config, 1, false))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(checks.iter().all(|c| c.met), "{checks:?}");
}

#[test]
fn a_module_is_compiled_once_per_engine() {
    let backend = |name| Backends::Only(pwconf_engines::shared(name).unwrap_or_else(|e| panic!("{e}")));
    let cache = ModuleCache::global();
    run(&mut ReferenceHost::new(backend("wasmi")));
    let after_first = cache.len();
    assert!(after_first >= 1, "nothing was cached");
    run(&mut ReferenceHost::new(backend("wasmi")));
    assert_eq!(cache.len(), after_first, "the second run on wasmi compiled again");
    run(&mut ReferenceHost::new(backend("wasmtime")));
    assert_eq!(cache.len(), after_first + 1, "wasmtime reused wasmi's module");
}
