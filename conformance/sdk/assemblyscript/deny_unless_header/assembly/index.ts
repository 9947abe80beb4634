// An HTTP filter built with the AssemblyScript SDK: a request without `x-pwconf-allow`
// gets a local reply 403 `denied\n` with `x-denied-by: pwconf` and never reaches the
// upstream; every decision is logged at info as `allowed <path>` or `denied <path>`.
export * from "@solo-io/proxy-runtime/proxy";
import {
  RootContext, Context, registerRootContext, stream_context, FilterHeadersStatusValues,
  log, LogLevelValues, send_local_response, GrpcStatusValues, HeaderPair,
} from "@solo-io/proxy-runtime";

class DenyRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new DenyUnlessHeader(context_id, this);
  }
}

class DenyUnlessHeader extends Context {
  constructor(context_id: u32, root_context: DenyRoot) {
    super(context_id, root_context);
  }

  onRequestHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let path = stream_context.headers.request.get(":path");
    if (stream_context.headers.request.get("x-pwconf-allow").length > 0) {
      log(LogLevelValues.info, "allowed " + path);
      return FilterHeadersStatusValues.Continue;
    }
    log(LogLevelValues.info, "denied " + path);
    let headers: HeaderPair[] = [
      new HeaderPair(String.UTF8.encode("x-denied-by"), String.UTF8.encode("pwconf")),
    ];
    send_local_response(403, "denied", String.UTF8.encode("denied\n"), headers, GrpcStatusValues.InvalidCode);
    return FilterHeadersStatusValues.StopIteration;
  }
}

registerRootContext((context_id: u32) => { return new DenyRoot(context_id); }, "deny_unless_header");
