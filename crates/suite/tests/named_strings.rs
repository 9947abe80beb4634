//! No case places a string by hand: every data segment of a case module or of
//! `conformance/lib/` comes from a `;; @str` directive, no `(i32.const P) (i32.const L)`
//! points into a named string, and no two data segments of a built module overlap.

use pwconf_abi::AbiVersion;
use pwconf_suite::{Suite, module_text, wat};

#[test]
fn no_case_places_a_string_by_hand() {
    let suite = Suite::load(&Suite::repo_root())
        .unwrap_or_else(|errors| panic!("the suite does not load: {errors:?}"));
    let lib = suite.root.join("lib");
    let mut problems = Vec::new();
    let mut modules: Vec<std::path::PathBuf> = suite
        .cases
        .iter()
        .map(|c| c.module.clone())
        .filter(|m| m.extension().is_some_and(|e| e == "wat"))
        .collect();
    modules.sort();
    modules.dedup();
    let libraries = std::fs::read_dir(&lib)
        .unwrap_or_else(|e| panic!("{}: {e}", lib.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wat"));
    let mut checked = 0;
    for path in modules.into_iter().chain(libraries) {
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let built = if path.starts_with(&lib) {
            // a library is checked inside the smallest module that includes it
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            module_text(
                &format!("(module\n;; @include {name}\n)\n"),
                &lib,
                Some(AbiVersion::V0_2_1),
            )
        } else {
            module_text(&source, &lib, None)
        };
        match built {
            Ok(built) => problems.extend(
                wat::lint(&source, &built)
                    .into_iter()
                    .map(|p| format!("{}: {p}", path.display())),
            ),
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
        checked += 1;
    }
    assert!(checked > 100, "only {checked} modules found");
    assert!(
        problems.is_empty(),
        "strings placed by hand:\n{}",
        problems.join("\n")
    );
}
