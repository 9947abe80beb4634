// An HTTP filter built with the AssemblyScript SDK that counts requests with the SDK's
// Counter (`pwconf_as_requests`) and tracks those in flight with its Gauge
// (`pwconf_as_active`: up at the request headers, down at the stream's log).
export * from "@solo-io/proxy-runtime/proxy";
import {
  RootContext, Context, registerRootContext, FilterHeadersStatusValues, Counter, Gauge,
} from "@solo-io/proxy-runtime";

class MetricsRoot extends RootContext {
  requests: Counter;
  active: Gauge;

  constructor(context_id: u32) {
    super(context_id);
    this.requests = new Counter("pwconf_as_requests");
    this.active = new Gauge("pwconf_as_active");
  }

  createContext(context_id: u32): Context {
    return new MetricsFilter(context_id, this);
  }
}

class MetricsFilter extends Context {
  metrics: MetricsRoot;

  constructor(context_id: u32, root_context: MetricsRoot) {
    super(context_id, root_context);
    this.metrics = root_context;
  }

  onRequestHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    this.metrics.requests.increment(1);
    this.metrics.active.increment(1);
    return FilterHeadersStatusValues.Continue;
  }

  onLog(): void {
    this.metrics.active.increment(-1);
  }
}

registerRootContext((context_id: u32) => { return new MetricsRoot(context_id); }, "metrics");
