//! The consistency checks run on `spec/` once it is parsed: every cross-reference
//! resolves, names are unique, versions are known. Each problem names its file and key.

use std::collections::{BTreeSet, HashMap};

use super::model::*;
use super::{Files, Spec, SpecIssue};
use crate::version::AbiVersion;

impl Spec {
    pub(super) fn validate(&self, files: &Files, issues: &mut Vec<SpecIssue>) {
        let mut push = |file: &str, key: String, message: String| {
            issues.push(SpecIssue {
                file: file.to_string(),
                key,
                message,
            })
        };

        // versions: each released version once, markers unique
        let mut seen_versions = HashMap::new();
        for (i, v) in self.versions.iter().enumerate() {
            if let Some(first) = seen_versions.insert(v.version, i) {
                push(
                    files.versions,
                    format!("versions[{i}].version"),
                    format!("duplicate version \"{}\" (first at versions[{first}])", v.version),
                );
            }
            if v.marker != v.version.marker() {
                push(
                    files.versions,
                    format!("versions[{i}].marker"),
                    format!("marker \"{}\" does not match version {}", v.marker, v.version),
                );
            }
        }
        for v in AbiVersion::ALL {
            if !seen_versions.contains_key(&v) {
                push(
                    files.versions,
                    "versions".into(),
                    format!("version {v} is missing"),
                );
            }
        }

        // enums: unique names, unique value names and numbers within an enum
        let mut enum_names = HashMap::new();
        for (i, e) in self.enums.iter().enumerate() {
            if let Some(first) = enum_names.insert(e.name.as_str(), i) {
                push(
                    files.enums,
                    format!("enums[{i}].name"),
                    format!("duplicate enum \"{}\" (first at enums[{first}])", e.name),
                );
            }
            let mut names = HashMap::new();
            let mut numbers = HashMap::new();
            for (j, v) in e.values.iter().enumerate() {
                if let Some(first) = names.insert(v.name.as_str(), j) {
                    push(
                        files.enums,
                        format!("enums[{i}].values[{j}].name"),
                        format!(
                            "duplicate value name \"{}\" in enum {} (first at values[{first}])",
                            v.name, e.name
                        ),
                    );
                }
                if let Some(first) = numbers.insert(v.value, j) {
                    push(
                        files.enums,
                        format!("enums[{i}].values[{j}].value"),
                        format!(
                            "duplicate value {} in enum {} (first at values[{first}])",
                            v.value, e.name
                        ),
                    );
                }
            }
        }
        let status_names: BTreeSet<&str> = self
            .enum_named("status")
            .map(|e| e.values.iter().map(|v| v.name.as_str()).collect())
            .unwrap_or_default();
        let errno_names: BTreeSet<&str> = self
            .enum_named("wasi_errno")
            .map(|e| e.values.iter().map(|v| v.name.as_str()).collect())
            .unwrap_or_default();
        for required in ["status", "wasi_errno"] {
            if self.enum_named(required).is_none() {
                push(
                    files.enums,
                    "enums".into(),
                    format!("enum \"{required}\" is missing"),
                );
            }
        }

        // hostcalls: unique (module, name); statuses name real enum values
        let mut hostcall_names: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, h) in self.hostcalls.iter().enumerate() {
            let file = self
                .hostcall_files
                .get(i)
                .copied()
                .unwrap_or("spec/hostcalls.yaml");
            let index = self.hostcall_files[..i].iter().filter(|f| **f == file).count();
            let key = |field: &str| format!("hostcalls[{index}].{field}");
            if let Some(first) = hostcall_names.insert((h.module.as_str(), h.name.as_str()), i) {
                let first_file = self.hostcall_files.get(first).copied().unwrap_or(file);
                push(
                    file,
                    key("name"),
                    format!(
                        "duplicate hostcall \"{}.{}\" (first in {first_file})",
                        h.module, h.name
                    ),
                );
            }
            if !matches!(h.module.as_str(), "env" | "wasi_snapshot_preview1") {
                push(
                    file,
                    key("module"),
                    format!(
                        "unknown import module \"{}\" (expected env or wasi_snapshot_preview1)",
                        h.module
                    ),
                );
            }
            if h.versions.is_empty() {
                push(file, key("versions"), "no ABI version listed".into());
            }
            check_params(&h.params, &h.versions, &key("params"), file, &mut push);
            if h.results.len() > 1 {
                push(file, key("results"), "at most one result is allowed".into());
            }
            let allowed = if h.module == "env" {
                &status_names
            } else {
                &errno_names
            };
            for (j, s) in h.statuses.iter().enumerate() {
                if !allowed.contains(s.as_str()) {
                    push(
                        file,
                        key(&format!("statuses[{j}]")),
                        format!("unknown status \"{s}\""),
                    );
                }
            }
            for (status, since) in &h.status_since {
                if !h.statuses.contains(status) {
                    push(
                        file,
                        key(&format!("status_since.{status}")),
                        format!("{status} is not among the call's statuses"),
                    );
                }
                if !h.versions.contains(since) {
                    push(
                        file,
                        key(&format!("status_since.{status}")),
                        format!("version {since} is not among the versions listed"),
                    );
                }
            }
        }

        // callbacks: unique names
        let mut callback_names = HashMap::new();
        for (i, c) in self.callbacks.iter().enumerate() {
            let key = |field: &str| format!("callbacks[{i}].{field}");
            if let Some(first) = callback_names.insert(c.name.as_str(), i) {
                push(
                    files.callbacks,
                    key("name"),
                    format!("duplicate callback \"{}\" (first at callbacks[{first}])", c.name),
                );
            }
            if c.versions.is_empty() {
                push(files.callbacks, key("versions"), "no ABI version listed".into());
            }
            check_params(&c.params, &c.versions, &key("params"), files.callbacks, &mut push);
        }

        // rules: unique ids with a known prefix; referenced names exist
        let prefixes: BTreeSet<&str> = self.rule_groups.iter().map(|g| g.prefix.as_str()).collect();
        let mut rule_ids = HashMap::new();
        for (i, r) in self.rules.iter().enumerate() {
            let key = |field: &str| format!("rules[{i}].{field}");
            if let Some(first) = rule_ids.insert(r.id.as_str(), i) {
                push(
                    files.rules,
                    key("id"),
                    format!("duplicate rule id \"{}\" (first at rules[{first}])", r.id),
                );
            }
            match rule_prefix(&r.id) {
                Some(p) if prefixes.contains(p) => {}
                _ => push(
                    files.rules,
                    key("id"),
                    format!("rule id \"{}\" has no known group prefix", r.id),
                ),
            }
            for (j, h) in r.hostcalls.iter().enumerate() {
                if !self.hostcalls.iter().any(|x| &x.name == h) {
                    push(
                        files.rules,
                        key(&format!("hostcalls[{j}]")),
                        format!("unknown hostcall \"{h}\""),
                    );
                }
            }
            for (j, c) in r.callbacks.iter().enumerate() {
                if !self.callbacks.iter().any(|x| &x.name == c) {
                    push(
                        files.rules,
                        key(&format!("callbacks[{j}]")),
                        format!("unknown callback \"{c}\""),
                    );
                }
            }
        }
    }
}

fn check_params(
    params: &[Param],
    versions: &[AbiVersion],
    key: &str,
    file: &str,
    push: &mut impl FnMut(&str, String, String),
) {
    let mut names = HashMap::new();
    for (j, p) in params.iter().enumerate() {
        if let Some(first) = names.insert(p.name.as_str(), j) {
            push(
                file,
                format!("{key}[{j}].name"),
                format!("duplicate parameter \"{}\" (first at {key}[{first}])", p.name),
            );
        }
        if let Some(since) = p.since
            && !versions.contains(&since)
        {
            push(
                file,
                format!("{key}[{j}].since"),
                format!("version {since} is not among the versions listed"),
            );
        }
    }
}
