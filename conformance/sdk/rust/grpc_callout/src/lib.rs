//! An HTTP filter built with the proxy-wasm Rust SDK that calls a gRPC service before
//! letting a request through: a unary `pwconf.Greeter/Hello` call to the cluster
//! `greeter` with the request path as the message and `x-caller: pwconf` as initial
//! metadata, the request paused meanwhile. The reply message goes upstream as
//! `x-greeting`; a call that ends with a non-OK status gets a local reply 503
//! `grpc status <code>`.

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
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(GrpcRoot) });
}

struct GrpcRoot;

impl Context for GrpcRoot {}

impl RootContext for GrpcRoot {
    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(GreeterCall))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct GreeterCall;

impl GreeterCall {
    fn request(&mut self) -> Action {
        let path = self.get_http_request_header(":path").unwrap_or_default();
        let metadata = vec![("x-caller", &b"pwconf"[..])];
        match self.dispatch_grpc_call(
            "greeter",
            "pwconf.Greeter",
            "Hello",
            metadata,
            Some(path.as_bytes()),
            Duration::from_secs(5),
        ) {
            Ok(token) => {
                log::info!("grpc call {token} sent");
                Action::Pause
            }
            Err(status) => {
                log::error!("grpc call failed: {status:?}");
                self.send_http_response(500, vec![], Some(b"grpc unavailable\n"));
                Action::Pause
            }
        }
    }
}

impl Context for GreeterCall {
    // The SDK calls this with the first message (status 0), or at the close when no
    // message came (with the call's status).
    fn on_grpc_call_response(&mut self, token_id: u32, status_code: u32, response_size: usize) {
        log::info!("grpc call {token_id} answered: status {status_code}, {response_size} bytes");
        if status_code == 0 && response_size > 0 {
            let greeting = self
                .get_grpc_call_response_body(0, response_size)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            self.set_http_request_header("x-greeting", Some(&greeting));
            self.resume_http_request();
        } else {
            let body = format!("grpc status {status_code}\n");
            self.send_http_response(503, vec![], Some(body.as_bytes()));
        }
    }
}

impl HttpContext for GreeterCall {
    #[cfg(not(feature = "sdk_0_1"))]
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        self.request()
    }
    #[cfg(feature = "sdk_0_1")]
    fn on_http_request_headers(&mut self, _num_headers: usize) -> Action {
        self.request()
    }
}
