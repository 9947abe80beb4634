//! Engine-neutral inspection of a guest module against `spec/`: which ABI version it
//! declares, which imports the host must provide, which callbacks it exports (and whether
//! their signatures are right), its allocator and its start-up entry.

use std::path::Path;

use serde::Serialize;
use wasmparser::{ExternalKind, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures};

use crate::spec::{CallbackKind, Spec, WasmType};
use crate::version::AbiVersion;

/// Why a module could not be read or inspected.
#[derive(Debug, thiserror::Error)]
pub enum ModuleError {
    #[error("{path}: cannot read: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("{path}: invalid WAT: {message}")]
    Wat { path: String, message: String },
    #[error("{path}: not a WebAssembly module (no \\0asm header and not WAT text)")]
    NotWasm { path: String },
    #[error("{path}: invalid module: {message}")]
    Invalid { path: String, message: String },
}

/// Reads a module file: binary `.wasm`, or WAT text (by `.wat` extension or content).
///
/// # Errors
/// A missing or unreadable file, WAT that does not parse, or bytes that are neither.
pub fn load_module_file(path: &Path) -> Result<Vec<u8>, ModuleError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| ModuleError::Read {
        path: shown.clone(),
        error,
    })?;
    module_bytes_from(&shown, bytes, path.extension().is_some_and(|e| e == "wat"))
}

/// Turns file content into module bytes, compiling WAT text when it is WAT.
///
/// # Errors
/// WAT that does not parse, or bytes that are neither WAT nor start like a wasm binary.
pub fn module_bytes_from(name: &str, bytes: Vec<u8>, is_wat: bool) -> Result<Vec<u8>, ModuleError> {
    if bytes.starts_with(b"\0asm") {
        return Ok(bytes);
    }
    let looks_like_text = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'(' || *b == b';');
    if is_wat || looks_like_text {
        return wat::parse_bytes(&bytes).map(|c| c.into_owned()).map_err(|mut e| {
            e.set_path(name);
            ModuleError::Wat {
                path: name.to_string(),
                message: one_line(&e.to_string()),
            }
        });
    }
    Err(ModuleError::NotWasm {
        path: name.to_string(),
    })
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A function signature as pwconf prints it: `(i32, i32) -> i32`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signature {
    pub params: Vec<WasmType>,
    pub results: Vec<WasmType>,
}

impl std::fmt::Display for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |v: &[WasmType]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        write!(f, "({}) -> ({})", list(&self.params), list(&self.results))
    }
}

/// How the ABI version was (or was not) found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AbiStatus {
    /// A released version's marker is exported as a function.
    Supported,
    /// A marker is exported, but it names a version no host accepts (vNEXT `0_x_x`).
    Unsupported,
    /// No marker function is exported.
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct AbiDetection {
    pub status: AbiStatus,
    /// The version, when `status` is `supported`.
    pub version: Option<AbiVersion>,
    /// The marker export that decided it.
    pub marker: Option<String>,
    /// For an unsupported marker: its name (`vNEXT`) and why it is refused.
    pub note: Option<String>,
}

/// An import of the module, classified against `spec/`.
#[derive(Debug, Clone, Serialize)]
pub struct Import {
    pub module: String,
    pub name: String,
    /// `func`, `memory`, `table`, `global` or `tag`.
    pub kind: &'static str,
    /// For functions: the signature the module expects.
    pub signature: Option<Signature>,
    /// For a known hostcall that the module's version lacks: the versions that have it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<AbiVersion>,
}

/// The module's imports: known for its version, known only in another version, unknown.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Imports {
    pub known: Vec<Import>,
    pub other_version: Vec<Import>,
    pub unknown: Vec<Import>,
}

/// A function whose signature differs from `spec/`.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureMismatch {
    pub name: String,
    /// `import` or `export`.
    pub side: &'static str,
    pub expected: Signature,
    pub found: Signature,
}

/// Which allocator the host will call to hand data to the guest.
#[derive(Debug, Clone, Serialize)]
pub struct Allocator {
    /// The export the host uses: `malloc`, `proxy_on_memory_allocate` or `none`.
    pub used: String,
    /// Every allocator export present (both may be).
    pub exported: Vec<String>,
}

/// The result of [`inspect`].
#[derive(Debug, Clone, Serialize)]
pub struct ModuleReport {
    pub size: usize,
    pub abi: AbiDetection,
    pub imports: Imports,
    /// Exported callbacks known to `spec/` (events, allocators, start-up), in export order.
    pub callbacks: Vec<String>,
    pub signature_mismatches: Vec<SignatureMismatch>,
    pub allocator: Allocator,
    /// Start-up entries present, in the order the host runs them: `start_section`,
    /// `_initialize`, `main`, `_start`.
    pub startup: Vec<String>,
    /// Initial and maximum linear memory in 64 KiB pages, when the module defines one.
    pub memory: Option<MemoryInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemoryInfo {
    pub exported_as: Option<String>,
    pub initial_pages: u64,
    pub maximum_pages: Option<u64>,
    pub imported: bool,
}

/// Validates and inspects a module.
///
/// # Errors
/// `Invalid` when the bytes are not a valid module (the validator's message and offset).
pub fn inspect(name: &str, bytes: &[u8], spec: &Spec) -> Result<ModuleReport, ModuleError> {
    let invalid = |message: String| ModuleError::Invalid {
        path: name.to_string(),
        message,
    };
    if !bytes.starts_with(b"\0asm") {
        return Err(ModuleError::NotWasm {
            path: name.to_string(),
        });
    }
    let mut validator = Validator::new_with_features(WasmFeatures::default());
    let types = validator
        .validate_all(bytes)
        .map_err(|e| invalid(one_line(&e.to_string())))?;
    let types = types.as_ref();
    let sig_of_func = |index: u32| -> Option<Signature> {
        let id = types.core_function_at(index);
        let func = types[id].unwrap_func();
        Some(Signature {
            params: func.params().iter().filter_map(|t| wasm_type(*t)).collect(),
            results: func.results().iter().filter_map(|t| wasm_type(*t)).collect(),
        })
    };

    let mut raw_imports = Vec::new();
    let mut exports = Vec::new();
    let mut has_start_section = false;
    let mut memory = None;
    let mut imported_funcs = 0u32;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| invalid(one_line(&e.to_string())))? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| invalid(one_line(&e.to_string())))?;
                    let (kind, signature) = match import.ty {
                        TypeRef::Func(_) => {
                            let sig = sig_of_func(imported_funcs);
                            imported_funcs += 1;
                            ("func", sig)
                        }
                        TypeRef::Memory(m) => {
                            memory = Some(MemoryInfo {
                                exported_as: None,
                                initial_pages: m.initial,
                                maximum_pages: m.maximum,
                                imported: true,
                            });
                            ("memory", None)
                        }
                        TypeRef::Table(_) => ("table", None),
                        TypeRef::Global(_) => ("global", None),
                        _ => ("tag", None),
                    };
                    raw_imports.push((
                        import.module.to_string(),
                        import.name.to_string(),
                        kind,
                        signature,
                    ));
                }
            }
            Payload::MemorySection(reader) => {
                for m in reader {
                    let m = m.map_err(|e| invalid(one_line(&e.to_string())))?;
                    if memory.is_none() {
                        memory = Some(MemoryInfo {
                            exported_as: None,
                            initial_pages: m.initial,
                            maximum_pages: m.maximum,
                            imported: false,
                        });
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| invalid(one_line(&e.to_string())))?;
                    exports.push((export.name.to_string(), export.kind, export.index));
                }
            }
            Payload::StartSection { .. } => has_start_section = true,
            _ => {}
        }
    }

    // The first *function* export with a marker name decides, as Envoy's host does.
    let mut abi = AbiDetection {
        status: AbiStatus::Missing,
        version: None,
        marker: None,
        note: None,
    };
    for (export, kind, _) in &exports {
        if *kind != ExternalKind::Func {
            continue;
        }
        if let Some(version) = AbiVersion::from_marker(export) {
            abi = AbiDetection {
                status: AbiStatus::Supported,
                version: Some(version),
                marker: Some(export.clone()),
                note: None,
            };
            break;
        }
        if let Some(m) = spec.unsupported_markers.iter().find(|m| &m.marker == export)
            && abi.status == AbiStatus::Missing
        {
            abi = AbiDetection {
                status: AbiStatus::Unsupported,
                version: None,
                marker: Some(export.clone()),
                note: Some(format!("{}: {}", m.name, m.reason)),
            };
        }
    }

    let mut imports = Imports::default();
    let mut mismatches = Vec::new();
    for (module, name, kind, signature) in raw_imports {
        let entry = |versions| Import {
            module: module.clone(),
            name: name.clone(),
            kind,
            signature: signature.clone(),
            versions,
        };
        let Some(hostcall) = (kind == "func").then(|| spec.hostcall(&module, &name)).flatten() else {
            imports.unknown.push(entry(Vec::new()));
            continue;
        };
        let in_version = abi.version.is_none_or(|v| hostcall.versions.contains(&v));
        if in_version {
            let versions: Vec<AbiVersion> =
                abi.version.map_or_else(|| hostcall.versions.clone(), |v| vec![v]);
            if let Some(found) = &signature
                && !versions.iter().any(|v| {
                    hostcall.param_types(*v) == found.params && hostcall.result_types() == found.results
                })
            {
                let v = versions.first().copied().unwrap_or(AbiVersion::V0_2_1);
                mismatches.push(SignatureMismatch {
                    name: format!("{module}.{name}"),
                    side: "import",
                    expected: Signature {
                        params: hostcall.param_types(v),
                        results: hostcall.result_types(),
                    },
                    found: found.clone(),
                });
            }
            imports.known.push(entry(Vec::new()));
        } else {
            imports.other_version.push(entry(hostcall.versions.clone()));
        }
    }

    let mut callbacks = Vec::new();
    let mut exported_allocators = Vec::new();
    let mut startup_present = Vec::new();
    for (export, kind, index) in &exports {
        match kind {
            ExternalKind::Memory => {
                if let Some(m) = memory.as_mut()
                    && m.exported_as.is_none()
                {
                    m.exported_as = Some(export.clone());
                }
                continue;
            }
            ExternalKind::Func => {}
            _ => continue,
        }
        let Some(callback) = spec.callback(export) else {
            continue;
        };
        callbacks.push(export.clone());
        match callback.kind {
            CallbackKind::Allocator => exported_allocators.push(export.clone()),
            CallbackKind::Startup => startup_present.push(export.clone()),
            CallbackKind::Event => {}
        }
        let Some(found) = sig_of_func(*index) else {
            continue;
        };
        let versions: Vec<AbiVersion> = match abi.version {
            Some(v) if callback.versions.contains(&v) => vec![v],
            Some(_) => continue, // a callback of another version: the host never calls it
            None => callback.versions.clone(),
        };
        let matches = versions
            .iter()
            .any(|v| callback.param_types(*v) == found.params && callback.result_types() == found.results);
        if !matches && let Some(v) = versions.first() {
            mismatches.push(SignatureMismatch {
                name: export.clone(),
                side: "export",
                expected: Signature {
                    params: callback.param_types(*v),
                    results: callback.result_types(),
                },
                found,
            });
        }
    }

    // Envoy's host prefers `malloc` and falls back to `proxy_on_memory_allocate`.
    let used = ["malloc", "proxy_on_memory_allocate"]
        .into_iter()
        .find(|a| exported_allocators.iter().any(|e| e == a))
        .unwrap_or("none")
        .to_string();

    let mut startup = Vec::new();
    if has_start_section {
        startup.push("start_section".to_string());
    }
    for entry in ["_initialize", "main", "__main_void", "_start"] {
        if startup_present.iter().any(|s| s == entry) {
            startup.push(entry.to_string());
        }
    }

    Ok(ModuleReport {
        size: bytes.len(),
        abi,
        imports,
        callbacks,
        signature_mismatches: mismatches,
        allocator: Allocator {
            used,
            exported: exported_allocators,
        },
        startup,
        memory,
    })
}

fn wasm_type(t: ValType) -> Option<WasmType> {
    match t {
        ValType::I32 => Some(WasmType::I32),
        ValType::I64 => Some(WasmType::I64),
        ValType::F32 => Some(WasmType::F32),
        ValType::F64 => Some(WasmType::F64),
        _ => None,
    }
}
