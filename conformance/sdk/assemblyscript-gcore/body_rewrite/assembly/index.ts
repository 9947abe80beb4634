// An HTTP filter built with @gcoredev/proxy-wasm-sdk-as that rewrites the response body:
// it holds the body until its end (StopIterationAndBuffer, so the host buffers), then
// replaces every `hello` with `howdy` and drops `content-length`, which no longer holds.
// Requests with a body get `request body <n> bytes` logged once the whole body arrived.
export * from "@gcoredev/proxy-wasm-sdk-as/assembly/proxy";
import {
  RootContext, Context, registerRootContext, stream_context, FilterHeadersStatusValues,
  FilterDataStatusValues, log, LogLevelValues, get_buffer_bytes, set_buffer_bytes,
  BufferTypeValues,
} from "@gcoredev/proxy-wasm-sdk-as/assembly";

class RewriteRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new BodyRewrite(context_id, this);
  }
}

class BodyRewrite extends Context {
  onRequestBody(body_buffer_length: usize, end_of_stream: bool): FilterDataStatusValues {
    if (!end_of_stream) {
      return FilterDataStatusValues.StopIterationAndBuffer;
    }
    log(LogLevelValues.info, "request body " + body_buffer_length.toString() + " bytes");
    return FilterDataStatusValues.Continue;
  }

  onResponseHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.response.remove("content-length");
    return FilterHeadersStatusValues.Continue;
  }

  onResponseBody(body_buffer_length: usize, end_of_stream: bool): FilterDataStatusValues {
    if (!end_of_stream) {
      // Wait for the whole body: a word may span two chunks.
      return FilterDataStatusValues.StopIterationAndBuffer;
    }
    const size = body_buffer_length as u32;
    const text = String.UTF8.decode(get_buffer_bytes(BufferTypeValues.HttpResponseBody, 0, size));
    const rewritten = text.replaceAll("hello", "howdy");
    if (rewritten != text) {
      const bytes = String.UTF8.encode(rewritten);
      set_buffer_bytes(BufferTypeValues.HttpResponseBody, 0, size, bytes);
      log(LogLevelValues.info, "rewrote response body: " + size.toString() + " -> " + bytes.byteLength.toString() + " bytes");
    }
    return FilterDataStatusValues.Continue;
  }
}

registerRootContext((context_id: u32) => new RewriteRoot(context_id), "body_rewrite");
