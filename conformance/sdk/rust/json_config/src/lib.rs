//! An HTTP filter built with the proxy-wasm Rust SDK whose VM and plugin configurations are
//! JSON, parsed with serde_json as SDK users do:
//! - VM configuration `{"greeting": "<text>"}` (optional): every response gets
//!   `x-greeting: <text>`. Anything else than a JSON object fails the VM start.
//! - plugin configuration `{"header": "<name>", "value": "<value>", "deny_paths": [...]}`:
//!   requests get `<name>: <value>`; a request whose path is listed gets a local reply 404.
//!   Invalid JSON or a missing `header` makes `on_configure` fail, with an error log.

use std::rc::Rc;

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};
use serde_json::Value;

#[cfg(not(feature = "sdk_0_1"))]
proxy_wasm::main! {{ start(); }}

/// proxy-wasm 0.1.x has no `main!`: the host runs the module's `_start`.
#[cfg(feature = "sdk_0_1")]
#[no_mangle]
pub fn _start() {
    start();
}

fn start() {
    proxy_wasm::set_log_level(LogLevel::Info);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(ConfigRoot::default()) });
}

#[derive(Default)]
struct Settings {
    greeting: Option<String>,
    header: String,
    value: String,
    deny_paths: Vec<String>,
}

#[derive(Default)]
struct ConfigRoot {
    greeting: Option<String>,
    settings: Rc<Settings>,
}

impl ConfigRoot {
    #[cfg(not(feature = "sdk_0_1"))]
    fn vm_configuration(&self) -> Option<Vec<u8>> {
        self.get_vm_configuration()
    }
    #[cfg(not(feature = "sdk_0_1"))]
    fn plugin_configuration(&self) -> Option<Vec<u8>> {
        self.get_plugin_configuration()
    }
    // ABI 0.1.0 has one call; the host answers with the VM configuration in on_vm_start
    // and the plugin's in on_configure.
    #[cfg(feature = "sdk_0_1")]
    fn vm_configuration(&self) -> Option<Vec<u8>> {
        self.get_configuration()
    }
    #[cfg(feature = "sdk_0_1")]
    fn plugin_configuration(&self) -> Option<Vec<u8>> {
        self.get_configuration()
    }
}

impl Context for ConfigRoot {}

impl RootContext for ConfigRoot {
    fn on_vm_start(&mut self, _vm_configuration_size: usize) -> bool {
        let Some(bytes) = self.vm_configuration().filter(|b| !b.is_empty()) else {
            return true;
        };
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => {
                self.greeting = map.get("greeting").and_then(Value::as_str).map(str::to_string);
                log::info!("vm configuration: greeting {:?}", self.greeting);
                true
            }
            Ok(other) => {
                log::error!("vm configuration must be a JSON object, got {other}");
                false
            }
            Err(e) => {
                log::error!("vm configuration is not JSON: {e}");
                false
            }
        }
    }

    fn on_configure(&mut self, _plugin_configuration_size: usize) -> bool {
        let bytes = self.plugin_configuration().unwrap_or_default();
        let json: Value = match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                log::error!("plugin configuration is not JSON: {e}");
                return false;
            }
        };
        let Some(header) = json.get("header").and_then(Value::as_str) else {
            log::error!("plugin configuration lacks \"header\"");
            return false;
        };
        let deny_paths = json
            .get("deny_paths")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        self.settings = Rc::new(Settings {
            greeting: self.greeting.clone(),
            header: header.to_string(),
            value: json.get("value").and_then(Value::as_str).unwrap_or("").to_string(),
            deny_paths,
        });
        log::info!(
            "plugin configuration: {} = {}, {} denied path(s)",
            self.settings.header,
            self.settings.value,
            self.settings.deny_paths.len()
        );
        true
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(ConfigFilter { settings: self.settings.clone() }))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct ConfigFilter {
    settings: Rc<Settings>,
}

impl ConfigFilter {
    fn request(&mut self) -> Action {
        let path = self.get_http_request_header(":path").unwrap_or_default();
        if self.settings.deny_paths.iter().any(|p| *p == path) {
            self.send_http_response(404, vec![], Some(b"no such path\n"));
            return Action::Pause;
        }
        self.set_http_request_header(&self.settings.header, Some(&self.settings.value));
        Action::Continue
    }

    fn response(&mut self) -> Action {
        if let Some(greeting) = &self.settings.greeting {
            self.add_http_response_header("x-greeting", greeting);
        }
        Action::Continue
    }
}

impl Context for ConfigFilter {}

impl HttpContext for ConfigFilter {
    #[cfg(not(feature = "sdk_0_1"))]
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        self.request()
    }
    #[cfg(feature = "sdk_0_1")]
    fn on_http_request_headers(&mut self, _num_headers: usize) -> Action {
        self.request()
    }

    #[cfg(not(feature = "sdk_0_1"))]
    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        self.response()
    }
    #[cfg(feature = "sdk_0_1")]
    fn on_http_response_headers(&mut self, _num_headers: usize) -> Action {
        self.response()
    }
}
