//! An HTTP filter built with the proxy-wasm Rust SDK that reads host properties as SDK
//! users do and shows them: on the request, `x-prop-path`, `x-prop-method` (strings),
//! `x-prop-plugin` (`plugin_name`), `x-prop-source` (`source.address`) and
//! `x-prop-roundtrip` (a property it set itself on the stream, read back); on the
//! response, `x-prop-code` (`response.code`, an 8-byte little-endian integer).

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};

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
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(PropertiesRoot) });
}

struct PropertiesRoot;

impl Context for PropertiesRoot {}

impl RootContext for PropertiesRoot {
    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(Properties))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct Properties;

impl Properties {
    fn text(&self, path: Vec<&str>) -> String {
        match self.get_property(path.clone()) {
            Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            None => {
                log::warn!("property {} is missing", path.join("."));
                "(missing)".to_string()
            }
        }
    }

    fn request(&mut self) -> Action {
        let path = self.text(vec!["request", "path"]);
        let method = self.text(vec!["request", "method"]);
        let plugin = self.text(vec!["plugin_name"]);
        let source = self.text(vec!["source", "address"]);
        self.set_property(vec!["pwconf", "seen"], Some(b"yes"));
        let roundtrip = self.text(vec!["pwconf", "seen"]);
        self.set_http_request_header("x-prop-path", Some(&path));
        self.set_http_request_header("x-prop-method", Some(&method));
        self.set_http_request_header("x-prop-plugin", Some(&plugin));
        self.set_http_request_header("x-prop-source", Some(&source));
        self.set_http_request_header("x-prop-roundtrip", Some(&roundtrip));
        Action::Continue
    }

    fn response(&mut self) -> Action {
        let code = match self.get_property(vec!["response", "code"]) {
            Some(bytes) if bytes.len() == 8 => {
                let mut le = [0u8; 8];
                le.copy_from_slice(&bytes);
                u64::from_le_bytes(le).to_string()
            }
            Some(bytes) => format!("(bad: {} bytes)", bytes.len()),
            None => "(missing)".to_string(),
        };
        self.set_http_response_header("x-prop-code", Some(&code));
        Action::Continue
    }
}

impl Context for Properties {}

impl HttpContext for Properties {
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
