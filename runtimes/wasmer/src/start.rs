//! wasmer runs a module's start function inside `Instance::new`, before pwconf can give the
//! instance its metering points or read whether they ran out (both need a live instance),
//! so a spinning start function ended as a plain `unreachable` and ran on the default
//! budget, not the instance's. Compiling therefore moves the start function out of the
//! start section into an export of a reserved name, and `instantiate` calls it first, under
//! the instance's own budget: the same start function ends the same way on every engine.
//! A trap there still fails the instantiation, as the start section would.

use std::ops::Range;

use wasm_encoder::{ExportKind, ExportSection, Module, RawSection};
use wasmparser::{ExternalKind, Parser, Payload};

/// The export the start function is moved to; hidden from the module's export list.
pub(crate) const START_EXPORT: &str = "pwconf_hoisted_start_function";

/// `wasm` without a start section and with its start function exported as
/// [`START_EXPORT`]; `None` when there is nothing to move (no start section, text, or a
/// module this rewrite does not handle, which wasmer then runs as it is).
pub(crate) fn hoist(wasm: &[u8]) -> Option<Vec<u8>> {
    if !wasm.starts_with(b"\0asm") {
        return None;
    }
    let mut sections: Vec<(u8, Range<usize>)> = Vec::new();
    let mut exports: Vec<(String, ExportKind, u32)> = Vec::new();
    let mut export_at = None;
    let mut start = None;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.ok()?;
        match &payload {
            Payload::ExportSection(reader) => {
                for export in reader.clone() {
                    let export = export.ok()?;
                    let kind = match export.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Func,
                        ExternalKind::Table => ExportKind::Table,
                        ExternalKind::Memory => ExportKind::Memory,
                        ExternalKind::Global => ExportKind::Global,
                        ExternalKind::Tag => ExportKind::Tag,
                    };
                    if export.name == START_EXPORT {
                        return None;
                    }
                    exports.push((export.name.to_string(), kind, export.index));
                }
                export_at = Some(sections.len());
                continue;
            }
            Payload::StartSection { func, .. } => {
                start = Some(*func);
                // Exports come before the start section; a module without exports gets
                // its export section where the start section was.
                export_at.get_or_insert(sections.len());
                continue;
            }
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            let range = usize::try_from(range.start).ok()?..usize::try_from(range.end).ok()?;
            sections.push((id, range));
        }
    }
    let start = start?;
    let export_at = export_at?;
    let mut module = Module::new();
    let mut export_section = ExportSection::new();
    for (name, kind, index) in &exports {
        export_section.export(name, *kind, *index);
    }
    export_section.export(START_EXPORT, ExportKind::Func, start);
    for (i, (id, range)) in sections.iter().enumerate() {
        if i == export_at {
            module.section(&export_section);
        }
        module.section(&RawSection {
            id: *id,
            data: wasm.get(range.clone())?,
        });
    }
    if export_at == sections.len() {
        module.section(&export_section);
    }
    Some(module.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exports_of(wasm: &[u8]) -> Vec<String> {
        let mut names = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Ok(Payload::ExportSection(reader)) = payload {
                names.extend(
                    reader
                        .into_iter()
                        .map(|e| e.map(|e| e.name.to_string()).unwrap_or_default()),
                );
            }
        }
        names
    }

    fn has_start(wasm: &[u8]) -> bool {
        Parser::new(0)
            .parse_all(wasm)
            .any(|p| matches!(p, Ok(Payload::StartSection { .. })))
    }

    #[test]
    fn start_section_becomes_an_export() {
        for text in [
            r#"(module (func $s) (start $s))"#,
            r#"(module (memory (export "memory") 1) (func $s) (func (export "f")) (start $s) (data (i32.const 0) "x"))"#,
        ] {
            let wasm = wat::parse_str(text).unwrap();
            let hoisted = hoist(&wasm).expect("a module with a start section is rewritten");
            wasmparser::validate(&hoisted).expect("the rewrite is valid");
            assert!(!has_start(&hoisted), "{text}: start section left in");
            assert!(exports_of(&hoisted).iter().any(|n| n == START_EXPORT), "{text}");
            for name in exports_of(&wasm) {
                assert!(exports_of(&hoisted).contains(&name), "{text}: lost export {name}");
            }
        }
    }

    #[test]
    fn modules_without_start_are_left_alone() {
        let wasm = wat::parse_str(r#"(module (func (export "f")))"#).unwrap();
        assert!(hoist(&wasm).is_none());
        assert!(hoist(b"(module)").is_none());
        assert!(
            hoist(b"\0asm\x01\0\0\0\x08").is_none(),
            "a truncated module is left to wasmer"
        );
    }
}
