//! An HTTP filter built with the proxy-wasm Rust SDK that keeps metrics as SDK users do: a
//! counter of requests (`pwconf_sdk_requests`), a gauge of requests in flight
//! (`pwconf_sdk_active`, up at the request headers, down at the stream's log) and a
//! histogram of request body sizes (`pwconf_sdk_body_bytes`). Each response carries the
//! counter's value as read back from the host (`x-request-count`).

use proxy_wasm::hostcalls;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel, MetricType};

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
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(MetricsRoot::default()) });
}

#[derive(Default, Clone, Copy)]
struct Metrics {
    requests: u32,
    active: u32,
    body_bytes: u32,
}

#[derive(Default)]
struct MetricsRoot {
    metrics: Metrics,
}

impl Context for MetricsRoot {}

impl RootContext for MetricsRoot {
    fn on_vm_start(&mut self, _vm_configuration_size: usize) -> bool {
        let define = |kind, name| match hostcalls::define_metric(kind, name) {
            Ok(id) => Some(id),
            Err(status) => {
                log::error!("define_metric {name}: {status:?}");
                None
            }
        };
        match (
            define(MetricType::Counter, "pwconf_sdk_requests"),
            define(MetricType::Gauge, "pwconf_sdk_active"),
            define(MetricType::Histogram, "pwconf_sdk_body_bytes"),
        ) {
            (Some(requests), Some(active), Some(body_bytes)) => {
                self.metrics = Metrics { requests, active, body_bytes };
                true
            }
            _ => false,
        }
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(MetricsFilter { metrics: self.metrics }))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct MetricsFilter {
    metrics: Metrics,
}

impl MetricsFilter {
    fn request(&mut self) -> Action {
        let _ = hostcalls::increment_metric(self.metrics.requests, 1);
        let _ = hostcalls::increment_metric(self.metrics.active, 1);
        Action::Continue
    }

    fn response(&mut self) -> Action {
        let count = hostcalls::get_metric(self.metrics.requests).unwrap_or(0);
        self.add_http_response_header("x-request-count", &count.to_string());
        Action::Continue
    }
}

impl Context for MetricsFilter {}

impl HttpContext for MetricsFilter {
    #[cfg(not(feature = "sdk_0_1"))]
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        self.request()
    }
    #[cfg(feature = "sdk_0_1")]
    fn on_http_request_headers(&mut self, _num_headers: usize) -> Action {
        self.request()
    }

    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if !end_of_stream {
            return Action::Pause;
        }
        let _ = hostcalls::record_metric(self.metrics.body_bytes, body_size as u64);
        Action::Continue
    }

    #[cfg(not(feature = "sdk_0_1"))]
    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        self.response()
    }
    #[cfg(feature = "sdk_0_1")]
    fn on_http_response_headers(&mut self, _num_headers: usize) -> Action {
        self.response()
    }

    fn on_log(&mut self) {
        let _ = hostcalls::increment_metric(self.metrics.active, -1);
    }
}
