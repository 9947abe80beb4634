//! What a plugin did, for a person: its log lines, and the trace of callbacks and the
//! hostcalls made inside each, with arguments named and decoded as `spec/` describes them
//! (enum values by name, pointers in hex).

use std::fmt::Write as _;

use pwconf_abi::Spec;
use pwconf_abi::spec::Param;
use pwconf_scenario::RunReport;
use pwconf_scenario::observe::{LogLine, TraceEvent};

/// One log line: `level plugin: message` (the VM's own lines have no plugin).
pub fn log_line(line: &LogLine) -> String {
    let level = line.level.name().to_ascii_lowercase();
    if line.plugin.is_empty() {
        format!("{level:<8} {}", line.message)
    } else {
        format!(
            "{level:<8} {} (context {}): {}",
            line.plugin, line.context, line.message
        )
    }
}

/// A value as its parameter means it: an enum value's name, a pointer in hex, else the
/// number.
fn decode(spec: &Spec, param: &Param, value: i64) -> String {
    let meaning = param.meaning.as_str();
    let enum_name = meaning.split_whitespace().next().unwrap_or_default();
    if let Some(e) = spec.enums.iter().find(|e| e.c_name == enum_name) {
        return match e.values.iter().find(|v| v.value == value) {
            Some(v) => v.name.clone(),
            None => format!("{value} (not a {enum_name})"),
        };
    }
    if meaning.contains("pointer") || param.name.ends_with("_ptr") || param.name.ends_with("_data") {
        return format!("{value:#x}");
    }
    value.to_string()
}

/// `name=value, ...` for the arguments of a call, by the parameters `spec/` lists.
fn arguments(spec: &Spec, params: Option<&[Param]>, args: &[i64]) -> String {
    args.iter()
        .enumerate()
        .map(|(i, value)| match params.and_then(|p| p.get(i)) {
            Some(param) => format!("{}={}", param.name, decode(spec, param, *value)),
            None => value.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One trace event, indented: callbacks at the margin, hostcalls under them.
pub fn event(spec: &Spec, event: &TraceEvent) -> String {
    match event {
        TraceEvent::Callback {
            name,
            args,
            result,
            outcome,
        } => {
            let callback = spec.callback(name);
            let mut text = format!(
                "-> {name}({})",
                arguments(spec, callback.map(|c| c.params.as_slice()), args)
            );
            if let Some(value) = result {
                let shown = match callback.and_then(|c| c.results.first()) {
                    Some(param) => decode(spec, param, *value),
                    None => value.to_string(),
                };
                let _ = write!(text, " = {shown}");
            }
            if let Some(outcome) = outcome {
                let _ = write!(text, " [{outcome}]");
            }
            text
        }
        TraceEvent::Hostcall { name, args, status } => {
            let hostcall = spec.hostcalls.iter().find(|h| h.name == *name);
            let mut text = format!(
                "     {name}({})",
                arguments(spec, hostcall.map(|h| h.params.as_slice()), args)
            );
            if let Some(status) = status {
                let _ = write!(text, " -> {status}");
            }
            text
        }
    }
}

/// The log lines and the trace of one backend's run, indented by two spaces.
pub fn report(report: &RunReport, all_logs: bool) -> String {
    const SHOWN_LOGS: usize = 20;
    let mut o = String::new();
    if !report.logs.is_empty() {
        let _ = writeln!(o, "  logs ({}):", report.logs.len());
        let shown = if all_logs { report.logs.len() } else { SHOWN_LOGS };
        for line in report.logs.iter().take(shown) {
            let _ = writeln!(o, "    {}", log_line(line));
        }
        if report.logs.len() > shown {
            let _ = writeln!(
                o,
                "    ... {} more (--verbose shows them all)",
                report.logs.len() - shown
            );
        }
    }
    if all_logs {
        let spec = Spec::embedded();
        for vm in &report.trace {
            let _ = writeln!(
                o,
                "  trace of {} VM {} ({} events):",
                vm.thread,
                vm.vm,
                vm.events.len()
            );
            for e in &vm.events {
                let _ = writeln!(o, "    {}", event(spec, e));
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_named_and_decoded_from_spec() {
        let spec = Spec::embedded();
        let call = TraceEvent::Hostcall {
            name: "proxy_get_header_map_value".to_string(),
            args: vec![0, 4096, 5, 8192, 8196],
            status: Some("OK".to_string()),
        };
        assert_eq!(
            event(spec, &call),
            "     proxy_get_header_map_value(map_id=HTTP_REQUEST_HEADERS, key_data=0x1000, key_size=5, \
             return_value_data=0x2000, return_value_size=0x2004) -> OK"
        );
        let callback = TraceEvent::Callback {
            name: "proxy_on_request_headers".to_string(),
            args: vec![2, 3, 1],
            result: Some(0),
            outcome: None,
        };
        assert_eq!(
            event(spec, &callback),
            "-> proxy_on_request_headers(context_id=2, num_headers=3, end_of_stream=1) = CONTINUE"
        );
    }
}
