//! `compat.html` in a real browser: headless Chromium (installed by
//! `scripts/check-report-html --install`, which `scripts/test` runs) loads a report, a
//! script clicks its toggles and types in its search box as a person would, and the DOM
//! after each step says which cases are shown.

use std::path::{Path, PathBuf};
use std::process::Command;

use pwconf_abi::AbiVersion;
use pwconf_reports::Compat;
use pwconf_suite::{Outcome, Suite, TrialResult};

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Three cases in two areas; `lifecycle/broken` fails on wasmi only.
fn suite(root: &Path) -> Suite {
    let case =
        |abi: &str, rule: &str| format!("description: a case\nrules: [{rule}]\nabi: [{abi}]\nsteps: []\n");
    write(&root.join("lifecycle/ok.yaml"), &case("0.2.0, 0.2.1", "L1"));
    write(&root.join("lifecycle/broken.yaml"), &case("0.2.1", "L2"));
    write(&root.join("logging/quiet.yaml"), &case("0.1.0", "L1"));
    for wat in ["lifecycle/ok.wat", "lifecycle/broken.wat", "logging/quiet.wat"] {
        write(&root.join(wat), "(module)\n");
    }
    Suite::load(root).unwrap_or_else(|e| panic!("{e:?}"))
}

fn results(suite: &Suite) -> Vec<TrialResult> {
    let mut out = Vec::new();
    for backend in ["wasmtime", "wasmi"] {
        for case in &suite.cases {
            for abi in &case.header.abi {
                let broken = case.id() == "lifecycle/broken" && backend == "wasmi";
                out.push(TrialResult {
                    case: case.id(),
                    area: case.area.clone(),
                    backend: backend.to_string(),
                    abi: *abi,
                    outcome: if broken { Outcome::Fail } else { Outcome::Pass },
                    detail: if broken {
                        "proxy_on_vm_start: expected 1, observed 0".to_string()
                    } else {
                        String::new()
                    },
                    rules: case.header.rules.clone(),
                    hostcalls: Vec::new(),
                    duration_us: 1500,
                    statuses: Default::default(),
                    observed: Default::default(),
                });
            }
        }
    }
    out
}

fn chromium() -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file());
    found.unwrap_or_else(|| {
        panic!("chromium is not installed: run scripts/check-report-html --install (scripts/test does)")
    })
}

/// The page's DOM after `steps` (JavaScript run after the page's own script).
fn dom_after(html: &str, steps: &str, dir: &Path, name: &str) -> String {
    let driven = html.replace(
        "</body>",
        &format!(
            "<script>document.body.setAttribute('data-width', document.documentElement.scrollWidth);\n{steps}\n\
             document.body.setAttribute('data-shown', document.getElementById('shown').textContent);</script></body>"
        ),
    );
    let page = dir.join(format!("{name}.html"));
    write(&page, &driven);
    let profile = dir.join(format!("profile-{name}"));
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=1400,1000")
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("running chromium: {e}"));
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("data-shown="),
        "chromium printed no DOM (status {}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    dom
}

/// The value of an attribute the driving script set on `<body>`.
fn body_attribute<'a>(dom: &'a str, name: &str) -> &'a str {
    let key = format!("{name}=\"");
    let start = dom.find(&key).map_or(0, |i| i + key.len());
    &dom[start..start + dom[start..].find('"').unwrap_or(0)]
}

fn shown(dom: &str) -> &str {
    body_attribute(dom, "data-shown")
}

/// Whether the element with this id carries the `hidden` class in the DOM.
fn hidden(dom: &str, id: &str) -> bool {
    let Some(at) = dom.find(&format!("id=\"{id}\"")) else {
        panic!("no #{id} in the DOM");
    };
    let tag_start = dom[..at].rfind('<').unwrap_or(0);
    let tag_end = at + dom[at..].find('>').unwrap_or(0);
    let tag = &dom[tag_start..tag_end];
    tag.contains("class=\"")
        && tag.split("class=\"").nth(1).is_some_and(|c| {
            c.split('"')
                .next()
                .unwrap_or("")
                .split(' ')
                .any(|w| w == "hidden")
        })
}

#[test]
fn toggles_and_search_filter_the_report_in_chromium() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let suite = suite(&dir.path().join("conformance"));
    let results = results(&suite);
    let coverage = pwconf_suite::coverage(&suite, &results);
    let engines = [
        ("wasmtime".to_string(), "36.0.0".to_string()),
        ("wasmi".to_string(), "0.51.0".to_string()),
    ];
    let html = Compat {
        suite: &suite,
        results: &results,
        coverage: &coverage,
        generated: "2026-01-01",
        commit: "0123456789ab",
        engines: &engines,
    }
    .html();
    let out = dir.path();

    let dom = dom_after(&html, "", out, "plain");
    assert_eq!(shown(&dom), "3 of 3 cases shown");
    assert!(!hidden(&dom, "case-lifecycle-ok"));
    let width: u32 = body_attribute(&dom, "data-width").parse().unwrap_or(u32::MAX);
    assert!(width <= 1400, "the page fits a 1400 px window: {width} px");

    let dom = dom_after(
        &html,
        "document.getElementById('only-failures').click();",
        out,
        "failures",
    );
    assert_eq!(shown(&dom), "1 of 3 cases shown");
    assert!(hidden(&dom, "case-lifecycle-ok"), "a passing case is hidden");
    assert!(!hidden(&dom, "case-lifecycle-broken"), "the failing case stays");
    assert!(
        hidden(&dom, "area-logging"),
        "an area with nothing shown is hidden"
    );

    // Without wasmi, where it fails, the broken case has no failure left to show.
    let dom = dom_after(
        &html,
        "document.getElementById('only-failures').click();\
         document.querySelector('input[data-toggle=backend][value=wasmi]').click();",
        out,
        "no-wasmi",
    );
    assert_eq!(shown(&dom), "0 of 3 cases shown");

    let dom = dom_after(
        &html,
        "var s=document.getElementById('search'); s.value='quiet'; s.dispatchEvent(new Event('input'));",
        out,
        "search",
    );
    assert_eq!(shown(&dom), "1 of 3 cases shown");
    assert!(!hidden(&dom, "case-logging-quiet"));

    // An ABI toggle hides that ABI's columns.
    let dom = dom_after(
        &html,
        "document.querySelector('input[data-toggle=abi][value=\"0.2.1\"]').click();",
        out,
        "abi",
    );
    let cells: Vec<&str> = dom
        .split("<td ")
        .skip(1)
        .map(|td| td.split('>').next().unwrap_or_default())
        .filter(|td| td.contains(&format!("data-abi=\"{}\"", AbiVersion::V0_2_1)))
        .collect();
    assert_eq!(cells.len(), 6, "3 cases x 2 backends: {cells:?}");
    assert!(
        cells
            .iter()
            .all(|td| td.starts_with("class=\"o ") && td.contains(" hidden\"")),
        "every 0.2.1 cell is hidden: {cells:?}"
    );
}
