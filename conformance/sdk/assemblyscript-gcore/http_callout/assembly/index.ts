// An HTTP filter built with @gcoredev/proxy-wasm-sdk-as that asks an authorization
// service before letting a request through: `GET /check` with the request's `x-token` to
// the cluster `auth`, the request paused meanwhile. A 200 answer's body names the user,
// sent upstream as `x-auth-user`, and the request resumes; anything else gets a local 403
// `forbidden: <status>`.
export * from "@gcoredev/proxy-wasm-sdk-as/assembly/proxy";
import {
  RootContext, Context, BaseContext, registerRootContext, stream_context,
  FilterHeadersStatusValues, log, LogLevelValues, send_http_response, makeHeaderPair, Headers,
  WasmResultValues, get_buffer_bytes, BufferTypeValues,
} from "@gcoredev/proxy-wasm-sdk-as/assembly";

class CalloutRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new AuthCallout(context_id, this);
  }
}

// The SDK calls this in the paused stream's context once the answer is in (AssemblyScript
// has no closures: what the callback needs comes from the context it is given).
function onAuthAnswer(origin: BaseContext, headers: u32, body_size: usize, trailers: u32): void {
  const status = stream_context.headers.http_callback.get(":status");
  log(LogLevelValues.info, "auth call answered " + status);
  if (status == "200") {
    const body = get_buffer_bytes(BufferTypeValues.HttpCallResponseBody, 0, body_size as u32);
    stream_context.headers.request.replace("x-auth-user", String.UTF8.decode(body).trim());
    origin.continueRequest();
  } else {
    const none: Headers = [];
    send_http_response(403, "auth", String.UTF8.encode("forbidden: " + status + "\n"), none);
  }
}

class AuthCallout extends Context {
  onRequestHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    const token = stream_context.headers.request.get("x-token");
    const headers: Headers = [
      makeHeaderPair(":method", "GET"), makeHeaderPair(":path", "/check"),
      makeHeaderPair(":authority", "auth"), makeHeaderPair("x-token", token),
    ];
    const none: Headers = [];
    const result = this.root_context.httpCall("auth", headers, new ArrayBuffer(0), none, 5000, this, onAuthAnswer);
    if (result != WasmResultValues.Ok) {
      log(LogLevelValues.error, "auth call failed: " + result.toString());
      send_http_response(500, "auth", String.UTF8.encode("auth unavailable\n"), none);
      return FilterHeadersStatusValues.StopIteration;
    }
    log(LogLevelValues.info, "auth call sent");
    return FilterHeadersStatusValues.StopIteration;
  }
}

registerRootContext((context_id: u32) => new CalloutRoot(context_id), "http_callout");
