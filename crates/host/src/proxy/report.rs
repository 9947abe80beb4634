//! What a thread observed, collected when the run ends: open streams reset, roots shut
//! down (rules D1-D3), then each VM's report, contexts, trace and logs.

pub use pwconf_scenario::observe::{ContextReport, RunReport, StartFailure, VmReport, VmTrace};

use super::thread::ThreadState;
use crate::http::HttpOutcome;
use crate::state::ContextKind;
use crate::tcp::Side;
use crate::tcp::TcpOutcome;
use crate::trace::{LogLine, TraceEvent};

/// What one VM of a thread observed.
type VmObservations = (VmReport, Vec<ContextReport>, Vec<TraceEvent>, Vec<LogLine>);

pub(super) struct ThreadReport {
    vms: Vec<VmObservations>,
    start_failures: Vec<StartFailure>,
    http: Vec<(String, HttpOutcome)>,
    tcp: Vec<(String, TcpOutcome)>,
}

impl ThreadReport {
    /// Adds what thread `name` observed to the run's report; VM indexes become indexes
    /// into the run's `vms`.
    pub(super) fn merge_into(self, name: &str, report: &mut RunReport) {
        for (vm, contexts, events, logs) in self.vms {
            let index = report.vms.len();
            report.contexts.extend(contexts.into_iter().map(|mut c| {
                c.vm = index;
                c
            }));
            report.trace.push(VmTrace {
                thread: name.to_string(),
                vm: index,
                events,
            });
            report.logs.extend(logs);
            report.vms.push(vm);
        }
        report.start_failures.extend(self.start_failures);
        report.http.extend(self.http);
        report.tcp.extend(self.tcp);
    }
}

impl ThreadState {
    pub(super) fn finish(mut self) -> ThreadReport {
        // Streams still open at the end: the downstream goes away (a reset).
        for (name, mut stream) in std::mem::take(&mut self.open_http) {
            stream.outcome.reset = true;
            stream.close(&mut self.vms);
            self.done_http.push((name, stream.outcome));
        }
        for (name, mut conn) in std::mem::take(&mut self.open_tcp) {
            conn.close(&mut self.vms, Side::Downstream);
            conn.finish(&mut self.vms);
            self.done_tcp.push((name, conn.outcome));
        }
        // Shut the roots down: on_done, and on_delete when it answers true (rules D1-D3).
        for vm in &mut self.vms {
            let roots: Vec<u32> = vm
                .state()
                .contexts
                .values()
                .filter(|c| c.kind == ContextKind::Root)
                .map(|c| c.id)
                .collect();
            for root in roots {
                if vm.finish_context(root, &["proxy_on_done"]) {
                    vm.finish_context(root, &["proxy_on_delete"]);
                } else {
                    vm.state().done_pending.insert(root);
                }
            }
        }
        let name = self.name.clone();
        let vms = self
            .vms
            .iter_mut()
            .zip(&self.keys)
            .map(|(vm, key)| {
                let failed = vm.failed.clone();
                let abi = vm.abi;
                let state = vm.state();
                let plugins: Vec<String> = state.plugins.iter().map(|p| p.name.clone()).collect();
                let contexts = state
                    .context_log
                    .iter()
                    .map(|c| ContextReport {
                        thread: name.clone(),
                        vm: 0,
                        id: c.id,
                        kind: c.kind,
                        root_id: c.root_id,
                        plugin: plugins.get(c.plugin).cloned().unwrap_or_default(),
                    })
                    .collect();
                let report = VmReport {
                    thread: name.clone(),
                    vm_id: state.vm_id.clone(),
                    key: key.clone(),
                    abi,
                    failed,
                    plugins,
                };
                (
                    report,
                    contexts,
                    std::mem::take(&mut state.trace),
                    std::mem::take(&mut state.logs),
                )
            })
            .collect();
        ThreadReport {
            vms,
            start_failures: self.start_failures,
            http: self.done_http,
            tcp: self.done_tcp,
        }
    }
}
