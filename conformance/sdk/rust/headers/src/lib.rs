//! An HTTP filter built with the proxy-wasm Rust SDK that edits headers as SDK users do:
//! on the request it adds `x-pwconf-request: added`, replaces `user-agent` with `pwconf`
//! and removes `x-remove-me`; on the response it adds `x-pwconf: <plugin configuration>`
//! (`added` without one), replaces `server` with `pwconf` and removes `x-powered-by`.

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
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> {
        Box::new(HeadersRoot { value: "added".to_string() })
    });
}

struct HeadersRoot {
    value: String,
}

impl Context for HeadersRoot {}

impl RootContext for HeadersRoot {
    fn on_configure(&mut self, _plugin_configuration_size: usize) -> bool {
        #[cfg(not(feature = "sdk_0_1"))]
        let config = self.get_plugin_configuration();
        #[cfg(feature = "sdk_0_1")]
        let config = self.get_configuration();
        if let Some(config) = config {
            self.value = String::from_utf8_lossy(&config).into_owned();
        }
        true
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(Headers { value: self.value.clone() }))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct Headers {
    value: String,
}

impl Headers {
    fn request(&mut self) -> Action {
        self.add_http_request_header("x-pwconf-request", "added");
        self.set_http_request_header("user-agent", Some("pwconf"));
        self.set_http_request_header("x-remove-me", None);
        Action::Continue
    }

    fn response(&mut self) -> Action {
        self.add_http_response_header("x-pwconf", &self.value);
        self.set_http_response_header("server", Some("pwconf"));
        self.set_http_response_header("x-powered-by", None);
        Action::Continue
    }
}

impl Context for Headers {}

impl HttpContext for Headers {
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
