//! An HTTP filter built with the proxy-wasm Rust SDK: a request without the header
//! `x-pwconf-allow` gets a local reply 403 `denied\n` with `x-denied-by: pwconf` and never
//! reaches the upstream; every decision is logged at info as `allowed <path>` or
//! `denied <path>`.

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};

const ALLOW_HEADER: &str = "x-pwconf-allow";

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
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(DenyRoot) });
}

struct DenyRoot;

impl Context for DenyRoot {}

impl RootContext for DenyRoot {
    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(DenyUnlessHeader))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct DenyUnlessHeader;

impl Context for DenyUnlessHeader {}

impl HttpContext for DenyUnlessHeader {
    #[cfg(not(feature = "sdk_0_1"))]
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        self.decide()
    }
    #[cfg(feature = "sdk_0_1")]
    fn on_http_request_headers(&mut self, _num_headers: usize) -> Action {
        self.decide()
    }
}

impl DenyUnlessHeader {
    fn decide(&mut self) -> Action {
        let path = self.get_http_request_header(":path").unwrap_or_default();
        if self.get_http_request_header(ALLOW_HEADER).is_some() {
            log::info!("allowed {path}");
            return Action::Continue;
        }
        log::info!("denied {path}");
        self.send_http_response(403, vec![("x-denied-by", "pwconf")], Some(b"denied\n"));
        Action::Pause
    }
}
