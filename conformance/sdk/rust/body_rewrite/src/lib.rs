//! An HTTP filter built with the proxy-wasm Rust SDK that rewrites the response body: it
//! holds the body until its end (returning Pause, so the host buffers), then replaces every
//! `hello` with `howdy` and drops `content-length`, which no longer holds. Requests with a
//! body get `x-request-body-size: <bytes>` logged at info once the whole body arrived.

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
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(RewriteRoot) });
}

struct RewriteRoot;

impl Context for RewriteRoot {}

impl RootContext for RewriteRoot {
    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(BodyRewrite))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct BodyRewrite;

impl Context for BodyRewrite {}

impl BodyRewrite {
    fn response_headers(&mut self) -> Action {
        self.set_http_response_header("content-length", None);
        Action::Continue
    }
}

impl HttpContext for BodyRewrite {
    #[cfg(not(feature = "sdk_0_1"))]
    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        self.response_headers()
    }
    #[cfg(feature = "sdk_0_1")]
    fn on_http_response_headers(&mut self, _num_headers: usize) -> Action {
        self.response_headers()
    }

    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if !end_of_stream {
            return Action::Pause;
        }
        log::info!("request body {body_size} bytes");
        Action::Continue
    }

    fn on_http_response_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if !end_of_stream {
            // Wait for the whole body: a word may span two chunks.
            return Action::Pause;
        }
        let Some(body) = self.get_http_response_body(0, body_size) else {
            return Action::Continue;
        };
        let text = String::from_utf8_lossy(&body);
        let rewritten = text.replace("hello", "howdy");
        if rewritten != text {
            self.set_http_response_body(0, body_size, rewritten.as_bytes());
            log::info!("rewrote response body: {} -> {} bytes", body_size, rewritten.len());
        }
        Action::Continue
    }
}
