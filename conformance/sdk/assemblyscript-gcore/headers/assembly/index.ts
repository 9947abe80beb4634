// An HTTP filter built with @gcoredev/proxy-wasm-sdk-as that edits headers as its users
// do: on the request it adds `x-pwconf-request: added`, replaces `user-agent` with
// `pwconf` and removes `x-remove-me`; on the response it adds `x-pwconf: <plugin
// configuration>` (`added` without one), replaces `server` and removes `x-powered-by`.
export * from "@gcoredev/proxy-wasm-sdk-as/assembly/proxy";
import {
  RootContext, Context, registerRootContext, stream_context, FilterHeadersStatusValues,
} from "@gcoredev/proxy-wasm-sdk-as/assembly";

class EditHeadersRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new EditHeaders(context_id, this);
  }
}

class EditHeaders extends Context {
  onRequestHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    const request = stream_context.headers.request;
    request.add("x-pwconf-request", "added");
    request.replace("user-agent", "pwconf");
    request.remove("x-remove-me");
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    const configured = this.root_context.getConfiguration();
    const response = stream_context.headers.response;
    response.add("x-pwconf", configured == "" ? "added" : configured);
    response.replace("server", "pwconf");
    response.remove("x-powered-by");
    return FilterHeadersStatusValues.Continue;
  }
}

registerRootContext((context_id: u32) => new EditHeadersRoot(context_id), "headers");
