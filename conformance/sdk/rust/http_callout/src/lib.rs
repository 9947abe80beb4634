//! An HTTP filter built with the proxy-wasm Rust SDK that asks an authorization service
//! before letting a request through: it sends `GET /check` with the request's
//! `x-token` to the cluster `auth` and pauses the request. When the answer is 200, its
//! body names the user, which goes upstream as `x-auth-user`, and the request resumes;
//! any other answer gets a local reply 403 `forbidden: <status>`.

use std::time::Duration;

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
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(CalloutRoot) });
}

struct CalloutRoot;

impl Context for CalloutRoot {}

impl RootContext for CalloutRoot {
    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(AuthCallout))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct AuthCallout;

impl AuthCallout {
    fn request(&mut self) -> Action {
        let token = self.get_http_request_header("x-token").unwrap_or_default();
        let headers = vec![
            (":method", "GET"),
            (":path", "/check"),
            (":authority", "auth"),
            ("x-token", token.as_str()),
        ];
        match self.dispatch_http_call("auth", headers, None, vec![], Duration::from_secs(5)) {
            Ok(token_id) => {
                log::info!("auth call {token_id} sent");
                Action::Pause
            }
            Err(status) => {
                log::error!("auth call failed: {status:?}");
                self.send_http_response(500, vec![], Some(b"auth unavailable\n"));
                Action::Pause
            }
        }
    }
}

impl Context for AuthCallout {
    fn on_http_call_response(&mut self, token_id: u32, _num_headers: usize, body_size: usize, _num_trailers: usize) {
        let status = self.get_http_call_response_header(":status").unwrap_or_default();
        log::info!("auth call {token_id} answered {status}");
        if status == "200" {
            let user = self
                .get_http_call_response_body(0, body_size)
                .map(|b| String::from_utf8_lossy(&b).trim().to_string())
                .unwrap_or_default();
            self.set_http_request_header("x-auth-user", Some(&user));
            self.resume_http_request();
        } else {
            let body = format!("forbidden: {status}\n");
            self.send_http_response(403, vec![], Some(body.as_bytes()));
        }
    }
}

impl HttpContext for AuthCallout {
    #[cfg(not(feature = "sdk_0_1"))]
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        self.request()
    }
    #[cfg(feature = "sdk_0_1")]
    fn on_http_request_headers(&mut self, _num_headers: usize) -> Action {
        self.request()
    }
}
