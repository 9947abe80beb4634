// An HTTP filter built with @gcoredev/proxy-wasm-sdk-as that keeps metrics with the SDK's
// classes: a Counter of requests (`pwconf_gcore_requests`), a Gauge of requests in flight
// (`pwconf_gcore_active`: up at the request headers, down at the stream's log) and a
// Histogram of request body sizes (`pwconf_gcore_body_bytes`). A request asking with
// `x-read-count` gets the counter's value as read back with the SDK's get_metric in its
// response's `x-request-count`.
export * from "@gcoredev/proxy-wasm-sdk-as/assembly/proxy";
import {
  RootContext, Context, registerRootContext, stream_context, FilterHeadersStatusValues,
  FilterDataStatusValues, Counter, Gauge, Histogram, WasmResultValues,
} from "@gcoredev/proxy-wasm-sdk-as/assembly";
import { get_metric } from "@gcoredev/proxy-wasm-sdk-as/assembly/runtime";

class MetricsRoot extends RootContext {
  requests: Counter;
  active: Gauge;
  bodyBytes: Histogram;

  constructor(context_id: u32) {
    super(context_id);
    this.requests = new Counter("pwconf_gcore_requests");
    this.active = new Gauge("pwconf_gcore_active");
    this.bodyBytes = new Histogram("pwconf_gcore_body_bytes");
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

  readBack: bool = false;

  onRequestHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    this.readBack = stream_context.headers.request.get("x-read-count") != "";
    this.metrics.requests.increment(1);
    this.metrics.active.increment(1);
    return FilterHeadersStatusValues.Continue;
  }

  onRequestBody(body_buffer_length: usize, end_of_stream: bool): FilterDataStatusValues {
    if (!end_of_stream) {
      return FilterDataStatusValues.StopIterationAndBuffer;
    }
    const histogram = this.metrics.bodyBytes;
    histogram.record(histogram.metric_id, body_buffer_length as u64);
    return FilterDataStatusValues.Continue;
  }

  onResponseHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    if (!this.readBack) {
      return FilterHeadersStatusValues.Continue;
    }
    const read = get_metric(this.metrics.requests.metric_id);
    const value = read.result == WasmResultValues.Ok ? read.data.toString() : "unreadable";
    stream_context.headers.response.add("x-request-count", value);
    return FilterHeadersStatusValues.Continue;
  }

  onLog(): void {
    this.metrics.active.increment(-1);
  }
}

registerRootContext((context_id: u32) => new MetricsRoot(context_id), "metrics");
