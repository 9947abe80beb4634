// An HTTP filter built with @gcoredev/proxy-wasm-sdk-as: a request without the header
// `x-pwconf-allow` gets a local reply 403 `denied\n` with `x-denied-by: pwconf` and never
// reaches the upstream; every decision is logged at info as `allowed <path>` or
// `denied <path>` (the SDK logs through WASI stdout, prefixed with `[INFO]: `).
export * from "@gcoredev/proxy-wasm-sdk-as/assembly/proxy";
import {
  RootContext, Context, registerRootContext, stream_context, FilterHeadersStatusValues,
  log, LogLevelValues, send_http_response, makeHeaderPair, Headers,
} from "@gcoredev/proxy-wasm-sdk-as/assembly";

class DenyRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new DenyUnlessHeader(context_id, this);
  }
}

class DenyUnlessHeader extends Context {
  onRequestHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    const request = stream_context.headers.request;
    const path = request.get(":path");
    if (request.get("x-pwconf-allow") != "") {
      log(LogLevelValues.info, "allowed " + path);
      return FilterHeadersStatusValues.Continue;
    }
    log(LogLevelValues.info, "denied " + path);
    const headers: Headers = [makeHeaderPair("x-denied-by", "pwconf")];
    send_http_response(403, "denied", String.UTF8.encode("denied\n"), headers);
    return FilterHeadersStatusValues.StopIteration;
  }
}

registerRootContext((context_id: u32) => new DenyRoot(context_id), "deny_unless_header");
