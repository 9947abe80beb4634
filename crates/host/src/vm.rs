//! One VM instance: a guest module instantiated on a backend, started as Envoy's host
//! starts it (rules L4-L8), with root contexts for its plugins (R1-R7), and the one place
//! where the host calls into the guest.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use pwconf_abi::types::LogLevel;
use pwconf_abi::{AbiVersion, Spec};
use pwconf_backend::{
    ExportDesc, ExternKind, FuncRef, FuncType, Instance, Limits, LinkedModule, Val, ValType, WasmError,
};

use crate::state::{ConfigWindow, ContextKind, Phase, PluginInfo, VmState};
use crate::trace;

/// Why a VM or one of its plugins could not start.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StartError {
    #[error("instantiation failed ({kind}): {message}")]
    Instantiate { kind: String, message: String },
    #[error("the module exports no allocator (malloc or proxy_on_memory_allocate)")]
    NoAllocator,
    #[error("callback {name} has signature {found}, ABI {abi} requires {expected}")]
    BadSignature {
        name: String,
        abi: AbiVersion,
        expected: String,
        found: String,
    },
    #[error("start-up ({entry}) failed: {message}")]
    Startup { entry: &'static str, message: String },
    #[error("proxy_on_vm_start returned false for root context {root}")]
    VmStartFalse { root: u32 },
    #[error("proxy_on_configure returned false for plugin {plugin}")]
    ConfigureFalse { plugin: String },
    #[error("{callback} of plugin {plugin} trapped: {message}")]
    Trapped {
        callback: &'static str,
        plugin: String,
        message: String,
    },
    #[error("the VM has failed: {0}")]
    VmFailed(String),
}

/// How a call into the guest ended, when it did not return normally.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{callback} trapped ({kind}): {message}")]
pub struct CallbackTrap {
    pub callback: &'static str,
    pub kind: String,
    pub message: String,
}

/// An export resolved once per VM.
struct Export {
    func: FuncRef,
    /// For a callback `spec/` lists: which of its parameters this VM's ABI has.
    params: Option<&'static [bool]>,
}

/// A running VM instance and what the host needs to call into it.
pub struct Vm {
    instance: Box<dyn Instance>,
    /// Exports looked up so far, each with the parameters its ABI passes it: resolved once
    /// per VM, shared handles, so a callback neither copies its type nor searches the
    /// spec's callback table again.
    exports: HashMap<&'static str, Option<Rc<Export>>>,
    pub abi: AbiVersion,
    /// Set once the VM trapped: no callback is made into it again (rules F1, F2).
    pub failed: Option<String>,
    /// When it failed, in milliseconds on the thread's monotonic clock.
    pub failed_at_ms: u64,
}

impl Vm {
    /// Instantiates and runs start-up: `_initialize` then `main(0, 0)` (or `__main_void`),
    /// or else `_start`, with only the start-up hostcalls allowed (rule L5).
    ///
    /// # Errors
    /// Instantiation, a missing allocator (rule L7), a callback with the wrong signature
    /// (rule L8), or a trap during start-up (rule L6).
    pub fn start(linked: &Arc<dyn LinkedModule>, state: VmState, limits: &Limits) -> Result<Vm, StartError> {
        let abi = state.abi;
        let mut state = state;
        state.phase = Phase::Startup;
        let instance = linked
            .instantiate(Box::new(state), limits)
            .map_err(|e| StartError::Instantiate {
                kind: e.kind().name().to_string(),
                message: e.to_string(),
            })?;
        let mut vm = Vm {
            instance,
            exports: HashMap::new(),
            abi,
            failed: None,
            failed_at_ms: 0,
        };
        check_signatures(linked.exports(), abi)?;
        // Envoy's host prefers `malloc` (the spec prefers the other; rule L7, erratum 11).
        let allocator = ["malloc", "proxy_on_memory_allocate"]
            .into_iter()
            .find(|name| vm.export(name).is_some())
            .ok_or(StartError::NoAllocator)?;
        vm.state().allocator = Some(allocator);
        let entries: &[&'static str] = if vm.export("_initialize").is_some() {
            if vm.export("main").is_some() {
                &["_initialize", "main"]
            } else {
                &["_initialize", "__main_void"]
            }
        } else {
            &["_start"]
        };
        for entry in entries {
            let Some(export) = vm.export(entry) else { continue };
            let func = &export.func;
            let args: Vec<Val> = func.ty.params.iter().map(|t| Val::zero(*t)).collect();
            let mut results: Vec<Val> = func.ty.results.iter().map(|t| Val::zero(*t)).collect();
            let event =
                trace::open_callback(vm.state(), entry, args.iter().filter_map(Val::i32).map(i64::from));
            if let Err(e) = vm.instance.call(func, &args, &mut results) {
                trace::close_callback(vm.state(), event, None, Some(e.kind().name()));
                let message = vm.failure_message(&e);
                vm.failed = Some(message.clone());
                return Err(StartError::Startup { entry, message });
            }
            let result = results.first().and_then(Val::i32).map(i64::from);
            trace::close_callback(vm.state(), event, result, None);
        }
        vm.state().phase = Phase::Idle;
        Ok(vm)
    }

    /// The VM's state.
    pub fn state(&mut self) -> &mut VmState {
        match self.instance.state().downcast_mut::<VmState>() {
            Some(state) => state,
            // `Vm::start` is the only constructor and always installs a `VmState`.
            None => unreachable!("a Vm always carries a VmState"),
        }
    }

    /// The guest's linear memory (for measurements such as memory per VM copy).
    pub fn guest_memory(&mut self) -> Option<&mut [u8]> {
        self.instance.memory()
    }

    fn export(&mut self, name: &'static str) -> Option<Rc<Export>> {
        if let Some(found) = self.exports.get(name) {
            return found.clone();
        }
        let params = callback_params(self.abi, name);
        let found = self
            .instance
            .func(name)
            .map(|func| Rc::new(Export { func, params }));
        self.exports.insert(name, found.clone());
        found
    }

    fn failure_message(&mut self, err: &WasmError) -> String {
        match self.state().abort_reason.take() {
            Some(reason) if err.kind() == pwconf_backend::OutcomeKind::HostError => reason,
            _ => err.to_string(),
        }
    }

    /// Adds a plugin: creates its root context and runs `proxy_on_context_create(root, 0)`,
    /// `proxy_on_vm_start(root, vm_config_size)` and `proxy_on_configure(root,
    /// plugin_config_size)` in that order (rules R1-R7). Returns the root context id.
    ///
    /// # Errors
    /// A false answer or a trap; the plugin must then not be used (its fail policy applies).
    pub fn add_plugin(&mut self, plugin: PluginInfo) -> Result<u32, StartError> {
        if let Some(reason) = &self.failed {
            return Err(StartError::VmFailed(reason.clone()));
        }
        let name = plugin.name.clone();
        let plugin_size = plugin.configuration.len() as i32;
        let state = self.state();
        let index = state.plugins.len();
        state.plugins.push(plugin);
        let root = state.new_context(ContextKind::Root, None, index);
        let trapped = |callback, e: CallbackTrap| StartError::Trapped {
            callback,
            plugin: name.clone(),
            message: e.message,
        };
        // The plugin configuration reads during the root's creation, as in Envoy (observed
        // on 1.40.0); then not again before proxy_on_configure.
        self.state().config_window = ConfigWindow::Plugin(index);
        let created = self.create_context(root, 0);
        self.state().config_window = ConfigWindow::None;
        created.map_err(|e| trapped("proxy_on_context_create", e))?;
        let vm_size = self.state().vm_configuration.len() as i32;
        self.state().config_window = ConfigWindow::Vm;
        let started = self.call("proxy_on_vm_start", root, &[root as i32, vm_size]);
        self.state().config_window = ConfigWindow::None;
        if started.map_err(|e| trapped("proxy_on_vm_start", e))?.unwrap_or(1) == 0 {
            return Err(StartError::VmStartFalse { root });
        }
        self.state().config_window = ConfigWindow::Plugin(index);
        let configured = self.call("proxy_on_configure", root, &[root as i32, plugin_size]);
        self.state().config_window = ConfigWindow::None;
        if configured
            .map_err(|e| trapped("proxy_on_configure", e))?
            .unwrap_or(1)
            == 0
        {
            return Err(StartError::ConfigureFalse { plugin: name });
        }
        Ok(root)
    }

    /// Runs `proxy_on_context_create(id, parent)` for a context made with
    /// [`VmState::new_context`] (rules C2, R1).
    ///
    /// # Errors
    /// A trap in the callback.
    pub fn create_context(&mut self, id: u32, parent: u32) -> Result<(), CallbackTrap> {
        if let Some(entry) = self.state().contexts.get_mut(&id) {
            entry.created = true;
        }
        self.call("proxy_on_context_create", id, &[id as i32, parent as i32])
            .map(drop)
    }

    /// Ends a context: the callbacks `order` lists (from `proxy_on_log`, `proxy_on_done`,
    /// `proxy_on_delete`), then forgets it. A context whose creation was never announced gets
    /// none (rule C5). Returns what `proxy_on_done` answered (true when not exported).
    pub fn finish_context(&mut self, id: u32, order: &[&'static str]) -> bool {
        let created = self.state().contexts.get(&id).is_some_and(|c| c.created);
        let mut done = true;
        if created {
            for callback in order {
                match self.call(callback, id, &[id as i32]) {
                    Ok(Some(answer)) if *callback == "proxy_on_done" => done = answer != 0,
                    _ => {}
                }
            }
        }
        if order.contains(&"proxy_on_delete") {
            self.state().remove_context(id);
        }
        done
    }

    /// Calls a `proxy_on_*` callback of context `context` (0: the VM) with ABI arguments.
    /// Returns its result (`None` when it returns nothing or is not exported, so the caller
    /// applies the default of ABI §3.3). A failed VM is never entered again.
    ///
    /// # Errors
    /// A trap: the VM is marked failed (rule F1).
    pub fn call(
        &mut self,
        name: &'static str,
        context: u32,
        args: &[i32],
    ) -> Result<Option<i64>, CallbackTrap> {
        if let Some(reason) = &self.failed {
            return Err(CallbackTrap {
                callback: name,
                kind: "vm_failed".to_string(),
                message: reason.clone(),
            });
        }
        let Some(export) = self.export(name) else {
            return Ok(None);
        };
        let func = &export.func;
        // On the stack: every callback takes at most a handful of i32s and returns at most
        // one value (a longer list would fail the call's own type check, not panic).
        // `args` are the newest version's; parameters `spec/` gives a later `since` than
        // this VM's ABI are left out (0.1.0 headers callbacks have no `end_of_stream`).
        let mut arg_slots = [Val::I32(0); MAX_CALLBACK_ARGS];
        let mut count = 0;
        let present = export.params;
        for (i, a) in args.iter().enumerate() {
            if present.is_none_or(|p| p.get(i).copied().unwrap_or(true)) && count < MAX_CALLBACK_ARGS {
                arg_slots[count] = Val::I32(*a);
                count += 1;
            }
        }
        let args = &arg_slots[..count];
        let mut result_slots = [Val::I32(0); 1];
        for (slot, t) in result_slots.iter_mut().zip(&func.ty.results) {
            *slot = Val::zero(*t);
        }
        let results = &mut result_slots[..func.ty.results.len().min(1)];
        let state = self.state();
        state.current = context;
        state.effective = None;
        state.phase = Phase::Callback;
        state.callback = name;
        let event = trace::open_callback(state, name, args.iter().map(|a| i64::from(a.u32())));
        let outcome = self.instance.call(func, args, results);
        let result = results.first().and_then(|v| v.i32()).map(i64::from);
        let failure = outcome
            .err()
            .map(|e| (e.kind().name().to_string(), self.failure_message(&e)));
        let state = self.state();
        state.current = 0;
        state.effective = None;
        state.phase = Phase::Idle;
        state.callout_buffers.clear();
        state.callout_maps.clear();
        state.callout_status = None;
        trace::close_callback(
            state,
            event,
            result,
            failure.as_ref().map(|(kind, _)| kind.as_str()),
        );
        if let Some((kind, message)) = failure {
            let state = self.state();
            state.current = context;
            state.log(
                LogLevel::Critical,
                format!("{name} trapped ({kind}): {message}; the VM is failed"),
            );
            state.current = 0;
            self.failed = Some(format!("{name}: {message}"));
            self.failed_at_ms = self.state().monotonic_ns / 1_000_000;
            return Err(CallbackTrap {
                callback: name,
                kind,
                message,
            });
        }
        self.finish_confirmed_roots();
        Ok(result)
    }

    /// Roots whose `proxy_done` was accepted are deleted now that the callback returned
    /// (rule D3; Envoy's host calls only `proxy_on_delete` for them).
    fn finish_confirmed_roots(&mut self) {
        let roots = std::mem::take(&mut self.state().done_confirmed);
        for root in roots {
            self.finish_context(root, &["proxy_on_delete"]);
        }
    }
}

/// Every exported callback `spec/` knows for this ABI must have its exact signature (rule
/// L8). Checked on the module's export list, which every copy of it shares.
fn check_signatures(exports: &[ExportDesc], abi: AbiVersion) -> Result<(), StartError> {
    for (name, expected) in callback_signatures(abi) {
        let found = exports.iter().find_map(|e| match &e.kind {
            ExternKind::Func(ty) if e.name == *name => Some(ty),
            _ => None,
        });
        if let Some(found) = found
            && found != expected
        {
            return Err(StartError::BadSignature {
                name: name.to_string(),
                abi,
                expected: expected.to_string(),
                found: found.to_string(),
            });
        }
    }
    Ok(())
}

/// The widest callback of any ABI version takes 5 arguments.
const MAX_CALLBACK_ARGS: usize = 8;

/// For each callback `spec/` lists, which of its parameters (in the order the newest
/// version lists them) exist under `abi`; `None` for a name the spec does not have.
fn callback_params(abi: AbiVersion, name: &str) -> Option<&'static [bool]> {
    /// Per callback: its name and which parameters are present.
    type Presence = Vec<(&'static str, Vec<bool>)>;
    static TABLES: [OnceLock<Presence>; AbiVersion::ALL.len()] =
        [const { OnceLock::new() }; AbiVersion::ALL.len()];
    let table = TABLES[abi.index()].get_or_init(|| {
        Spec::embedded()
            .callbacks_for(abi)
            .map(|callback| {
                let present = callback
                    .params
                    .iter()
                    .map(|p| p.since.is_none_or(|since| abi >= since))
                    .collect();
                (callback.name.as_str(), present)
            })
            .collect()
    });
    table.iter().find(|(n, _)| *n == name).map(|(_, p)| p.as_slice())
}

/// Every callback `spec/` lists for `abi` with the signature it must have, computed once
/// per version (every VM copy checks its exports against it).
fn callback_signatures(abi: AbiVersion) -> &'static [(&'static str, FuncType)] {
    static TABLES: [OnceLock<Vec<(&'static str, FuncType)>>; AbiVersion::ALL.len()] =
        [const { OnceLock::new() }; AbiVersion::ALL.len()];
    TABLES[abi.index()].get_or_init(|| {
        let to_val = |t: pwconf_abi::spec::WasmType| match t {
            pwconf_abi::spec::WasmType::I32 => ValType::I32,
            pwconf_abi::spec::WasmType::I64 => ValType::I64,
            pwconf_abi::spec::WasmType::F32 => ValType::F32,
            pwconf_abi::spec::WasmType::F64 => ValType::F64,
        };
        // The embedded spec lives for the whole program, so its names are `'static`.
        Spec::embedded()
            .callbacks_for(abi)
            .map(|callback| {
                let params: Vec<ValType> = callback.param_types(abi).into_iter().map(to_val).collect();
                let results: Vec<ValType> = callback.result_types().into_iter().map(to_val).collect();
                (callback.name.as_str(), FuncType::new(params, results))
            })
            .collect()
    })
}
