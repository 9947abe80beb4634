// An HTTP filter built with the AssemblyScript SDK that asks an authorization service
// before letting a request through: `GET /check` with the request's `x-token` to the
// cluster `auth`, the request paused meanwhile. A 200 answer's body names the user, sent
// upstream as `x-auth-user`, and the request resumes; anything else gets a local 403
// `forbidden: <status>`.
export * from "@solo-io/proxy-runtime/proxy";
import {
  RootContext, Context, registerRootContext, stream_context, FilterHeadersStatusValues,
  log, LogLevelValues, send_local_response, GrpcStatusValues, HeaderPair, Headers,
  WasmResultValues,
} from "@solo-io/proxy-runtime";
import { get_buffer_bytes, BufferTypeValues } from "@solo-io/proxy-runtime/runtime";

class CalloutRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new AuthCallout(context_id, this);
  }
}

function pair(name: string, value: string): HeaderPair {
  return new HeaderPair(String.UTF8.encode(name), String.UTF8.encode(value));
}

// The SDK calls this with the stream's context once the answer is in (no closures in
// this AssemblyScript version, so the state lives in the context).
function onAuthAnswer(origin: Context, headers: u32, body_size: usize, trailers: u32): void {
  let status = stream_context.headers.http_callback.get(":status");
  log(LogLevelValues.info, "auth call answered " + status);
  if (status == "200") {
    let user = String.UTF8.decode(get_callout_body(body_size)).trim();
    stream_context.headers.request.replace("x-auth-user", user);
    origin.continueRequest();
  } else {
    let empty: Headers = [];
    send_local_response(403, "auth", String.UTF8.encode("forbidden: " + status + "\n"), empty, GrpcStatusValues.InvalidCode);
  }
}

function get_callout_body(size: usize): ArrayBuffer {
  return get_buffer_bytes(BufferTypeValues.HttpCallResponseBody, 0, size as u32);
}

class AuthCallout extends Context {
  constructor(context_id: u32, root_context: CalloutRoot) {
    super(context_id, root_context);
  }

  onRequestHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let token = stream_context.headers.request.get("x-token");
    let headers: Headers = [pair(":method", "GET"), pair(":path", "/check"), pair(":authority", "auth"), pair("x-token", token)];
    let trailers: Headers = [];
    let result = this.root_context.httpCall("auth", headers, new ArrayBuffer(0), trailers, 5000, this, onAuthAnswer);
    if (result != WasmResultValues.Ok) {
      log(LogLevelValues.error, "auth call failed: " + result.toString());
      let empty: Headers = [];
      send_local_response(500, "auth", String.UTF8.encode("auth unavailable\n"), empty, GrpcStatusValues.InvalidCode);
      return FilterHeadersStatusValues.StopIteration;
    }
    log(LogLevelValues.info, "auth call sent");
    return FilterHeadersStatusValues.StopIteration;
  }
}

registerRootContext((context_id: u32) => { return new CalloutRoot(context_id); }, "http_callout");
