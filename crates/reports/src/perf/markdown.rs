//! perf.md and perf.json: the bench tables, the targets and the notes.

use super::*;

impl Perf<'_> {
    pub(super) fn engine_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.engines.iter().map(|(n, _)| n.clone()).collect();
        names.push("native".to_string());
        names
    }

    /// Bench rows: (group, function) → per engine estimate, in a stable order.
    pub(super) fn rows(&self) -> Vec<(String, BTreeMap<String, &Estimate>)> {
        let engines = self.engine_names();
        let mut rows: Vec<(String, BTreeMap<String, &Estimate>)> = Vec::new();
        for e in self.estimates.values() {
            let Some((engine, rest)) = e.id.split_once('/') else {
                continue;
            };
            if !engines.iter().any(|n| n == engine) {
                continue;
            }
            match rows.iter_mut().find(|(r, _)| r == rest) {
                Some((_, m)) => {
                    m.insert(engine.to_string(), e);
                }
                None => rows.push((rest.to_string(), BTreeMap::from([(engine.to_string(), e)]))),
            }
        }
        let rank = |r: &str| {
            GROUP_ORDER
                .iter()
                .position(|g| r.starts_with(g))
                .unwrap_or(GROUP_ORDER.len())
        };
        rows.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then(a.0.cmp(&b.0)));
        rows
    }

    pub fn markdown(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "# pwconf performance report\n");
        let _ = writeln!(
            o,
            "Generated {} from one `cargo bench` run (`scripts/bench`).\n",
            self.generated
        );
        let _ = writeln!(o, "- Machine: {}, {} cores", self.machine.cpu, self.machine.cores);
        let versions: Vec<String> = self.engines.iter().map(|(n, v)| format!("{n} {v}")).collect();
        let _ = writeln!(o, "- Engines: {}", versions.join(", "));
        if let Some(suite) = self.suite {
            let load = |k: &str| suite[k].as_str().unwrap_or("unknown").to_string();
            if suite.get("load_average_before").is_some() {
                let _ = writeln!(
                    o,
                    "- Load average (1, 5, 15 min) when the run started: {}; when it ended: {}",
                    load("load_average_before"),
                    load("load_average_after")
                );
            }
            if suite["quick"].as_i64() == Some(1) {
                let _ = writeln!(
                    o,
                    "- Quick mode (`scripts/bench --quick`): short measurements, wider intervals"
                );
            }
        }
        let _ = writeln!(
            o,
            "- Times are criterion's estimates per iteration with their {:.0}% confidence interval; a ratio's range is what the two intervals allow.\n",
            self.estimates
                .values()
                .next()
                .map_or(95.0, |e| e.confidence * 100.0)
        );
        let _ = writeln!(o, "## Targets\n");
        let _ = writeln!(
            o,
            "| target | engine | measured | ratio (range) | target | status |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        for r in self.ratios() {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                r.what,
                r.engine,
                r.detail,
                r.value_text(),
                r.target_text(),
                r.status()
            );
        }
        let ratios = self.ratios();
        let met = ratios.iter().filter(|r| r.met() == Some(true)).count();
        let missed = ratios.iter().filter(|r| r.met() == Some(false)).count();
        let absent = ratios.len() - met - missed;
        let _ = writeln!(o, "\n{met} met, {missed} missed, {absent} not measured.\n");
        let _ = writeln!(o, "![target ratios](perf-ratios.svg)\n");

        o.push_str(&self.previous_section());
        let _ = writeln!(o, "\n## Benches\n");
        let engines = self.engine_names();
        let _ = writeln!(o, "| bench | {} |", engines.join(" | "));
        let _ = writeln!(o, "|---|{}", "---|".repeat(engines.len()));
        for (row, per) in self.rows() {
            let cells: Vec<String> = engines
                .iter()
                .map(|e| per.get(e).map_or_else(|| "–".to_string(), |est| cell(est)))
                .collect();
            let _ = writeln!(o, "| {row} | {} |", cells.join(" | "));
        }
        let _ = writeln!(o);
        for (group, _) in self.chart_groups() {
            let _ = writeln!(o, "![{group}](perf-{group}.svg)");
        }
        let _ = writeln!(o, "\n## Memory per VM copy\n");
        match self.memory.and_then(|m| m["rows"].as_array()) {
            Some(rows) if !rows.is_empty() => {
                let method = self.memory.and_then(|m| m["method"].as_str()).unwrap_or("");
                let _ = writeln!(o, "Method: {method}.\n");
                let _ = writeln!(
                    o,
                    "| engine | module | copies | RSS per copy | linear memory (size / resident) | host overhead |"
                );
                let _ = writeln!(o, "|---|---|---|---|---|---|");
                for r in rows {
                    let _ = writeln!(
                        o,
                        "| {} | {} | {} | {} | {} / {} | {} |",
                        r["backend"].as_str().unwrap_or("?"),
                        r["module"].as_str().unwrap_or("?"),
                        r["copies"],
                        kib(&r["rss_per_copy"]),
                        kib(&r["linear_memory_size"]),
                        kib(&r["linear_memory_touched"]),
                        kib(&r["host_overhead"]),
                    );
                }
            }
            _ => {
                let _ = writeln!(o, "Not measured in this run.");
            }
        }
        let _ = writeln!(o, "\n## What each bench measures\n");
        for (prefix, meaning) in MEANINGS {
            let _ = writeln!(o, "- `{prefix}`: {meaning}");
        }
        if let Some(notes) = self.notes {
            let _ = writeln!(o, "\n## Notes\n\n{}", notes.trim());
        }
        o
    }

    pub fn json(&self) -> Value {
        let benches: Vec<Value> = self
            .estimates
            .values()
            .map(|e| {
                json!({
                    "id": e.id,
                    "ns": e.ns,
                    "lower_ns": e.lower,
                    "upper_ns": e.upper,
                    "confidence": e.confidence,
                    "elements_per_iteration": e.elements,
                    "elements_per_second": e.elements.map(|n| n as f64 * 1e9 / e.ns),
                })
            })
            .collect();
        let ratios: Vec<Value> = self
            .ratios()
            .iter()
            .map(|r| {
                json!({
                    "target": r.what,
                    "engine": r.engine,
                    "detail": r.detail,
                    "value": r.value,
                    "range": r.range.map(|(a, b)| [a, b]),
                    "limit": r.target,
                    "at_most": r.at_most,
                    "met": r.met(),
                })
            })
            .collect();
        json!({
            "generated": self.generated,
            "machine": {"cpu": self.machine.cpu, "cores": self.machine.cores},
            "engines": self.engines.iter().map(|(n, v)| json!({"name": n, "version": v})).collect::<Vec<_>>(),
            "ratios": ratios,
            "benches": benches,
            "memory": self.memory,
            "suite": self.suite,
            "since_previous": self.since_previous().map(|(moved, compared)| json!({
                "previous_generated": self.previous.and_then(|p| p["generated"].as_str()),
                "compared": compared,
                "moved": moved.iter().map(|m| json!({"id": m.id, "before_ns": m.before_ns, "now_ns": m.now_ns, "ratio": m.ratio})).collect::<Vec<_>>(),
            })),
        })
    }
}

/// The order bench groups appear in.
pub(super) const GROUP_ORDER: &[&str] = &[
    "module",
    "hostcall_read64",
    "hostcall_get_header",
    "hostcall_log",
    "filter",
    "vm_copy",
    "vm_copy_sdk",
    "throughput",
    "workload",
];

pub(super) const MEANINGS: &[(&str, &str)] = &[
    (
        "workload/headers_20",
        "host-call-bound: one HTTP stream whose filter adds 20 request headers, reads each back and removes them (the header-heavy workload gateways publish)",
    ),
    (
        "workload/sdk_headers",
        "host-call-bound, real module: one HTTP stream through the Rust SDK 0.2.5 headers filter (adds, replaces and removes request and response headers)",
    ),
    (
        "workload/sdk_body_rewrite_16k",
        "guest-compute-bound, real module: one HTTP stream through the Rust SDK 0.2.5 body_rewrite filter, which buffers a 16 KiB response body in 64 chunks and rewrites every `hello`: this ranks the engines' generated code",
    ),
    (
        "module/compile",
        "compile the probe module (a few hundred bytes of Wasm)",
    ),
    (
        "module/compile_sdk",
        "compile a real SDK-built module (the Rust SDK 0.2.5's headers filter, ~125 KB)",
    ),
    (
        "module/artifact_load",
        "load the probe's AOT artifact (no compiling)",
    ),
    (
        "module/instantiate",
        "instantiate the linked probe through pwconf's backend layer",
    ),
    (
        "hostcall_read64/{pwconf,raw}",
        "1000 host calls copying 64 bytes out of guest memory: through pwconf's backend layer / written on the engine's API",
    ),
    (
        "hostcall_get_header/{pwconf,raw}",
        "1000 `proxy_get_header_map_value` calls returning a 20-byte value through the guest's allocator: the host's hostcall / the same work on the engine's API",
    ),
    (
        "hostcall_log/{pwconf,raw}",
        "1000 `proxy_log` calls: the host's hostcall / the same copy on the engine's API",
    ),
    (
        "filter/http_lifecycle",
        "host-call-bound: one HTTP stream through the bench filter: create, read 2 request headers and add 1, set 1 response header, log, done, delete (`native`: the same filter as Rust code, no Wasm); it does almost no guest work, so it ranks the host and the engines' call paths, not their code (an interpreter can look fast here)",
    ),
    (
        "filter/tcp_10_chunks",
        "one TCP connection with 10 data chunks of 1 KiB through the bench filter",
    ),
    (
        "vm_copy*/warm_copy",
        "a worker's new VM copy from the shared linked module: instantiate, callback checks, start-up (`_initialize`/`main`)",
    ),
    (
        "vm_copy*/instantiate",
        "the instantiation alone through pwconf's backend layer",
    ),
    (
        "vm_copy*/raw_instantiate",
        "the engine's own bare instantiation of the same module (a fresh store, imports resolved as stubs)",
    ),
    (
        "throughput/{1_worker,2_workers}",
        "HTTP streams through the whole proxy (main thread dispatching to worker threads), time per request; requests/s is its inverse",
    ),
];

pub(super) fn cell(e: &Estimate) -> String {
    let (scale, unit) = time_unit(e.ns);
    let mut text = format!(
        "{:.3} {unit} [{:.3}–{:.3}]",
        e.ns / scale,
        e.lower / scale,
        e.upper / scale
    );
    if let Some(n) = e.elements {
        let per_second = n as f64 * 1e9 / e.ns;
        let _ = write!(text, " ({})", rate(per_second));
    }
    text
}

pub(super) fn rate(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.2} M/s", per_second / 1e6)
    } else if per_second >= 1e3 {
        format!("{:.1} k/s", per_second / 1e3)
    } else {
        format!("{per_second:.1}/s")
    }
}

pub(super) fn time_unit(ns: f64) -> (f64, &'static str) {
    if ns >= 1e9 {
        (1e9, "s")
    } else if ns >= 1e6 {
        (1e6, "ms")
    } else if ns >= 1e3 {
        (1e3, "µs")
    } else {
        (1.0, "ns")
    }
}

pub(super) fn kib(v: &Value) -> String {
    v.as_f64()
        .map_or_else(|| "?".to_string(), |b| format!("{:.1} KiB", b / 1024.0))
}
