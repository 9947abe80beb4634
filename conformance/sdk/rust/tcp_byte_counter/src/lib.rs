//! A network (TCP) filter built with the proxy-wasm Rust SDK: counts the bytes of each
//! direction, logs every chunk at info (`downstream <n> bytes`, `upstream <n> bytes`) and,
//! when the connection ends (`on_log`), `connection closed: <down> bytes down, <up> bytes up`,
//! where `down` counts the client's bytes and `up` the server's. Every byte passes unchanged.

use proxy_wasm::traits::{Context, RootContext, StreamContext};
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
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(CounterRoot) });
}

struct CounterRoot;

impl Context for CounterRoot {}

impl RootContext for CounterRoot {
    fn create_stream_context(&self, _context_id: u32) -> Option<Box<dyn StreamContext>> {
        Some(Box::new(ByteCounter::default()))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::StreamContext)
    }
}

#[derive(Default)]
struct ByteCounter {
    /// Bytes from the client (downstream) so far.
    down: usize,
    /// Bytes from the server (upstream) so far.
    up: usize,
}

impl Context for ByteCounter {}

impl StreamContext for ByteCounter {
    fn on_downstream_data(&mut self, data_size: usize, _end_of_stream: bool) -> Action {
        // Read the chunk itself rather than trusting the size argument alone.
        let n = self
            .get_downstream_data(0, data_size)
            .map_or(0, |bytes| bytes.len());
        self.down += n;
        log::info!("downstream {n} bytes");
        Action::Continue
    }

    fn on_upstream_data(&mut self, data_size: usize, _end_of_stream: bool) -> Action {
        let n = self
            .get_upstream_data(0, data_size)
            .map_or(0, |bytes| bytes.len());
        self.up += n;
        log::info!("upstream {n} bytes");
        Action::Continue
    }

    fn on_log(&mut self) {
        log::info!(
            "connection closed: {} bytes down, {} bytes up",
            self.down,
            self.up
        );
    }
}
