//! A root context built with the proxy-wasm Rust SDK that ticks every second and publishes
//! the number of ticks through shared data (key `pwconf.ticks`, written with
//! compare-and-swap as SDK users guard concurrent writers); its HTTP filter answers every
//! response with `x-ticks: <shared value>` (`0` before the first tick).

use std::time::Duration;

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};

const KEY: &str = "pwconf.ticks";

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
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(TickerRoot { ticks: 0 }) });
}

struct TickerRoot {
    ticks: u64,
}

impl Context for TickerRoot {}

impl RootContext for TickerRoot {
    fn on_configure(&mut self, _plugin_configuration_size: usize) -> bool {
        self.set_tick_period(Duration::from_secs(1));
        true
    }

    fn on_tick(&mut self) {
        self.ticks += 1;
        let (_, cas) = self.get_shared_data(KEY);
        match self.set_shared_data(KEY, Some(self.ticks.to_string().as_bytes()), cas) {
            Ok(()) => log::info!("tick {} published", self.ticks),
            Err(status) => log::warn!("tick {} not published: {status:?}", self.ticks),
        }
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(TickReader))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct TickReader;

impl TickReader {
    fn response(&mut self) -> Action {
        let ticks = match self.get_shared_data(KEY) {
            (Some(bytes), _) => String::from_utf8_lossy(&bytes).into_owned(),
            (None, _) => "0".to_string(),
        };
        self.add_http_response_header("x-ticks", &ticks);
        Action::Continue
    }
}

impl Context for TickReader {}

impl HttpContext for TickReader {
    #[cfg(not(feature = "sdk_0_1"))]
    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        self.response()
    }
    #[cfg(feature = "sdk_0_1")]
    fn on_http_response_headers(&mut self, _num_headers: usize) -> Action {
        self.response()
    }
}
