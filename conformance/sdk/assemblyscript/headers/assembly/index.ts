// An HTTP filter built with the AssemblyScript SDK that edits headers as SDK users do: on
// the request it adds `x-pwconf-request: added`, replaces `user-agent` with `pwconf` and
// removes `x-remove-me`; on the response it adds `x-pwconf: <plugin configuration>`
// (`added` without one), replaces `server` and removes `x-powered-by`.
export * from "@solo-io/proxy-runtime/proxy";
import {
  RootContext, Context, registerRootContext, stream_context, FilterHeadersStatusValues,
} from "@solo-io/proxy-runtime";

class HeadersRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new Headers(context_id, this);
  }
}

class Headers extends Context {
  constructor(context_id: u32, root_context: HeadersRoot) {
    super(context_id, root_context);
  }

  onRequestHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.request.add("x-pwconf-request", "added");
    stream_context.headers.request.replace("user-agent", "pwconf");
    stream_context.headers.request.remove("x-remove-me");
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let configured = this.root_context.getConfiguration();
    stream_context.headers.response.add("x-pwconf", configured.length > 0 ? configured : "added");
    stream_context.headers.response.replace("server", "pwconf");
    stream_context.headers.response.remove("x-powered-by");
    return FilterHeadersStatusValues.Continue;
  }
}

registerRootContext((context_id: u32) => { return new HeadersRoot(context_id); }, "headers");
