//! `pwconf bench` as users run it, on a small module and the fast-to-start interpreter:
//! the shape of its JSON and reports and its comparison with a baseline (not its timings).

mod common;

use common::*;
use serde_json::Value;

fn hello(dir: &std::path::Path) -> String {
    let wat = std::fs::read_to_string(repo_path("conformance/host/vm_sharing/hello.wat")).unwrap_or_default();
    write_temp(dir, "hello.wat", wat.as_bytes()).display().to_string()
}

const TWO_STREAMS: &[u8] = b"steps:\n  - http:\n      request: {headers: {':method': GET, ':path': /a}}\n  - http:\n      request: {headers: {':method': POST, ':path': /b}, body: [one, two]}\n      response: {headers: {':status': 201}}\n";

fn metric<'a>(engine: &'a Value, name: &str) -> &'a Value {
    engine["metrics"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["name"] == name))
        .unwrap_or_else(|| panic!("no metric {name} in {engine}"))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

#[test]
fn json_report_and_files_have_every_metric_with_ordered_intervals() {
    let dir = tempdir();
    let module = hello(dir.path());
    let scenario = write_temp(dir.path(), "two.yaml", TWO_STREAMS)
        .display()
        .to_string();
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    let v = json(&[
        "bench",
        &module,
        "--scenario",
        &scenario,
        "--backend",
        "wasmi",
        "--time",
        "0.02",
        "--workers",
        "2",
        "--format",
        "json",
        "--out",
        &out_s,
    ]);
    assert_eq!(v["streams"], 2, "{v}");
    assert_eq!(v["abi"], "0.2.1");
    let engines = v["engines"].as_array().cloned().unwrap_or_default();
    assert_eq!(engines.len(), 1);
    let wasmi = &engines[0];
    assert_eq!(wasmi["engine"], "wasmi");
    assert!(wasmi.get("error").is_none(), "{wasmi}");
    for name in [
        "compile",
        "vm_start_cold",
        "vm_copy_warm",
        "request",
        "requests_per_second_1_worker",
        "requests_per_second_2_workers",
        "memory_per_vm_copy",
    ] {
        let m = metric(wasmi, name);
        assert!(m["samples"].as_u64().is_some_and(|n| n >= 3), "{name}: {m}");
        for q in ["median", "p90", "p99"] {
            let (low, value, high) = (f(&m[q]["low"]), f(&m[q]["value"]), f(&m[q]["high"]));
            assert!(low <= value && value <= high, "{name} {q}: {m}");
            assert!(f(&m["min"]) <= low && high <= f(&m["max"]), "{name} {q}: {m}");
        }
    }
    let request = metric(wasmi, "request");
    assert!(request["samples"].as_u64().is_some_and(|n| n >= 20), "{request}");
    assert_eq!(request["unit"], "ns");
    assert_eq!(metric(wasmi, "requests_per_second_2_workers")["better"], "higher");
    // An interpreter has no artifact to load: said, not left out silently.
    let notes = wasmi["notes"].to_string();
    assert!(
        wasmi["metrics"]
            .as_array()
            .is_some_and(|m| m.iter().any(|m| m["name"] == "artifact_load"))
            || notes.contains("artifact_load"),
        "{wasmi}"
    );

    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("bench.json")).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(written["module_sha256"], v["module_sha256"]);
    let md = std::fs::read_to_string(out.join("bench.md")).unwrap_or_default();
    assert!(
        md.contains("| request median |") && md.contains("wasmi (interpreter"),
        "{md}"
    );
    let svg = std::fs::read_to_string(out.join("bench.svg")).unwrap_or_default();
    assert!(
        svg.starts_with("<svg") && svg.contains(">wasmi<") && svg.contains("higher is better"),
        "{svg}"
    );
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Scales one metric's median (and its interval) of a report by `factor`.
fn scaled(report: &Value, name: &str, factor: f64) -> Value {
    let mut report = report.clone();
    for engine in report["engines"].as_array_mut().into_iter().flatten() {
        for m in engine["metrics"].as_array_mut().into_iter().flatten() {
            if m["name"] == name {
                for k in ["value", "low", "high"] {
                    let v = f(&m["median"][k]) * factor;
                    m["median"][k] = Value::from(v);
                }
            }
        }
    }
    report
}

#[test]
fn baseline_comparison_names_what_moved_beyond_noise_and_only_that() {
    let dir = tempdir();
    let module = hello(dir.path());
    let run = |extra: &[&str]| -> Vec<String> {
        [
            "bench",
            module.as_str(),
            "--backend",
            "wasmi",
            "--time",
            "0.02",
            "--workers",
            "1",
        ]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
    };
    let first = json(&strs(&run(&["--format", "json"])));
    // A baseline 10× slower per request, with every other metric's interval made so wide
    // that nothing else can have moved beyond it.
    let mut base = scaled(&first, "request", 10.0);
    for engine in base["engines"].as_array_mut().into_iter().flatten() {
        for m in engine["metrics"].as_array_mut().into_iter().flatten() {
            if m["name"] != "request" {
                m["median"]["low"] = Value::from(0.0);
                m["median"]["high"] = Value::from(1e300);
            }
        }
    }
    let path = write_temp(dir.path(), "base.json", base.to_string().as_bytes())
        .display()
        .to_string();
    let v = json(&strs(&run(&["--format", "json", "--baseline", &path])));
    let changes = v["comparison"]["changes"].as_array().cloned().unwrap_or_default();
    assert!(v["comparison"]["same_module"] == true, "{v}");
    let request = changes
        .iter()
        .find(|c| c["metric"] == "request")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(request["verdict"], "improved", "{request}");
    assert!(f(&request["ratio"]) < 0.5, "{request}");
    let others: Vec<_> = changes.iter().filter(|c| c["metric"] != "request").collect();
    assert!(
        !others.is_empty() && others.iter().all(|c| c["verdict"] == "unchanged"),
        "{v}"
    );

    // The same baseline 10× faster: a regression, and the human report says so.
    let faster = scaled(&first, "request", 0.1);
    let path = write_temp(dir.path(), "fast.json", faster.to_string().as_bytes())
        .display()
        .to_string();
    let out = pwconf(&strs(&run(&["--baseline", &path])));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        text.lines()
            .any(|l| l.contains("wasmi request") && l.contains("REGRESSED beyond noise")),
        "{text}"
    );
}

#[test]
fn a_baseline_that_is_not_a_bench_report_fails_before_measuring() {
    let dir = tempdir();
    let module = hello(dir.path());
    let path = write_temp(dir.path(), "junk.json", b"{\"not\": \"a report\"}")
        .display()
        .to_string();
    fails_with_one_line(
        &["bench", &module, "--backend", "wasmi", "--baseline", &path],
        "--baseline",
    );
    fails_with_one_line(&["bench", "no-such.wasm"], "no-such.wasm");
}
