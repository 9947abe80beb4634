//! Hostcall bodies name their arguments as `spec/` names the parameters: each body binds
//! `let (name, ...): (...) = params(args);` with the spec's names in the spec's order
//! (`_name` for one it does not use), and reads no argument by position. WASI bodies
//! (`spec/wasi.yaml`) follow the same rule; a body that reads no argument takes `_args`.

use std::path::Path;

use pwconf_abi::Spec;

/// The names bound by the first `params(args)` of `body`, if any.
fn bound_names(body: &str) -> Option<Vec<String>> {
    let at = body.find("params(args);")?;
    let head = &body[..at];
    let open = head.find("let (")?;
    let close = head[open..].find(')')? + open;
    Some(
        head[open + 5..close]
            .split(',')
            .map(|n| n.trim().trim_start_matches('_').to_string())
            .filter(|n| !n.is_empty())
            .collect(),
    )
}

#[test]
fn hostcall_bodies_bind_the_spec_parameter_names() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/hostcalls");
    let spec = Spec::embedded();
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        // mod.rs defines the readers.
        if file == "mod.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if text.contains("arg(args,") || text.contains("arg_i64(args,") {
            problems.push(format!("{file}: reads an argument by position"));
        }
        for (at, _) in text.match_indices("fn ") {
            let rest = &text[at + "fn ".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let Some(hostcall) = spec.hostcalls.iter().find(|h| h.name == name) else {
                continue;
            };
            let body = &rest[..rest.find("\n}\n").unwrap_or(rest.len())];
            let wanted: Vec<&str> = hostcall.params.iter().map(|p| p.name.as_str()).collect();
            // A body that reads no argument says so in its signature.
            if wanted.is_empty() || body.contains("_args: &[Val]") {
                continue;
            }
            checked += 1;
            match bound_names(body) {
                Some(names) if names == wanted => {}
                Some(names) => {
                    problems.push(format!("{file}: {name} binds {names:?}, spec/ names {wanted:?}"))
                }
                None => problems.push(format!(
                    "{file}: {name} does not bind its arguments with params(args)"
                )),
            }
        }
    }
    assert!(checked > 50, "only {checked} hostcall bodies found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
