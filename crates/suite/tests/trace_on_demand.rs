//! The trace is recorded only when something reads it: a host made `without_trace` plays
//! the same scenario with the same outcome and logs, and reports no trace events.

use pwconf_host::ReferenceHost;
use pwconf_host::proxy::Backends;
use pwconf_scenario::{HostUnderTest, RunReport};

fn scenario() -> String {
    let hello =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance/host/vm_sharing/hello.wat");
    format!(
        "config:\n  http_filters:\n    - name: hello\n      vm_config: {{runtime: wasmi, code: {{local: {{filename: {}}}}}}}\nworkers: 1\nsteps:\n  - http:\n      request: {{headers: {{':path': /}}}}\n      expect: {{downstream: {{headers: {{x-hello: world}}}}}}\nexpect:\n  logs: [{{contains: configured}}]\n",
        hello.display()
    )
}

fn run(host: &mut dyn HostUnderTest) -> RunReport {
    let text = scenario();
    let scenario = pwconf_scenario::parse(&text, "trace_on_demand.yaml").unwrap_or_else(|e| panic!("{e}"));
    let source = pwconf_scenario::ConfigSource {
        options: pwconf_engines::load_options(),
        ..Default::default()
    };
    let config = scenario
        .resolve_config(std::path::Path::new("trace_on_demand.yaml"), &source)
        .unwrap_or_else(|e| panic!("{e}"));
    let (report, checks) = scenario
        .run(host, &scenario.start(config, 1, false))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(checks.iter().all(|c| c.met), "{checks:?}");
    report
}

fn events(report: &RunReport) -> usize {
    report.trace.iter().map(|t| t.events.len()).sum()
}

#[test]
fn without_trace_the_run_is_the_same_and_records_no_events() {
    let backend = || Backends::Only(pwconf_engines::shared("wasmi").unwrap_or_else(|e| panic!("{e}")));
    let traced = run(&mut ReferenceHost::new(backend()));
    let names: Vec<String> = traced
        .trace
        .iter()
        .flat_map(|t| &t.events)
        .map(|e| format!("{e:?}"))
        .collect();
    assert!(
        names.iter().any(|e| e.contains("proxy_on_response_headers"))
            && names.iter().any(|e| e.contains("proxy_add_header_map_value")),
        "{names:?}"
    );
    let untraced = run(&mut ReferenceHost::new(backend()).without_trace());
    assert_eq!(events(&untraced), 0, "{:?}", untraced.trace);
    assert_eq!(untraced.logs.len(), traced.logs.len());
    let headers = |r: &RunReport| {
        format!(
            "{:?}",
            r.http
                .values()
                .map(|o| &o.downstream_response)
                .collect::<Vec<_>>()
        )
    };
    assert_eq!(headers(&untraced), headers(&traced));
}
