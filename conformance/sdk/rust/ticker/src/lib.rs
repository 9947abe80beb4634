//! A root context built with the proxy-wasm Rust SDK that ticks every second and publishes
//! the number of ticks two ways: through shared data (key `pwconf.ticks`, written with
//! compare-and-swap as SDK users guard concurrent writers) and as `tick <n>` on the shared
//! queue `ticks` when a collector registered it. Its HTTP filter answers every response
//! with `x-ticks: <shared value>` (`0` before the first tick).
//!
//! The same module is the collector when its plugin's root id is `collector` (typically a
//! singleton service in the same VM): it registers the queue `ticks` and logs
//! `collected tick <n>` for every item it dequeues when the host signals the queue.

use std::time::Duration;

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};

const KEY: &str = "pwconf.ticks";
const QUEUE: &str = "ticks";

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
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(TickerRoot::default()) });
}

#[derive(Default)]
struct TickerRoot {
    ticks: u64,
    collector: bool,
}

impl TickerRoot {
    fn property(&self, name: &str) -> String {
        self.get_property(vec![name])
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    fn enqueue_tick(&self) {
        let vm_id = self.property("plugin_vm_id");
        match self.resolve_shared_queue(&vm_id, QUEUE) {
            Some(queue) => match self.enqueue_shared_queue(queue, Some(format!("tick {}", self.ticks).as_bytes())) {
                Ok(()) => log::info!("tick {} enqueued", self.ticks),
                Err(status) => log::warn!("tick {} not enqueued: {status:?}", self.ticks),
            },
            None => log::info!("tick {}: no collector", self.ticks),
        }
    }
}

impl Context for TickerRoot {}

impl RootContext for TickerRoot {
    fn on_configure(&mut self, _plugin_configuration_size: usize) -> bool {
        self.collector = self.property("plugin_root_id") == "collector";
        if self.collector {
            let queue = self.register_shared_queue(QUEUE);
            log::info!("collecting from queue {queue}");
        } else {
            self.set_tick_period(Duration::from_secs(1));
        }
        true
    }

    fn on_tick(&mut self) {
        self.ticks += 1;
        let (_, cas) = self.get_shared_data(KEY);
        match self.set_shared_data(KEY, Some(self.ticks.to_string().as_bytes()), cas) {
            Ok(()) => log::info!("tick {} published", self.ticks),
            Err(status) => log::warn!("tick {} not published: {status:?}", self.ticks),
        }
        self.enqueue_tick();
    }

    fn on_queue_ready(&mut self, queue_id: u32) {
        while let Ok(Some(item)) = self.dequeue_shared_queue(queue_id) {
            log::info!("collected {}", String::from_utf8_lossy(&item));
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
