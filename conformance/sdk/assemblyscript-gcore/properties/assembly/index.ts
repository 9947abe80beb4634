// An HTTP filter built with @gcoredev/proxy-wasm-sdk-as that reads host properties and
// shows them: on the request, `x-prop-path`, `x-prop-method` (strings), `x-prop-plugin`
// (`plugin_name`), `x-prop-source` (`source.address`) and `x-prop-roundtrip` (a property
// it set itself on the stream, read back); on the response, `x-prop-code`
// (`response.code`, an 8-byte little-endian integer). The SDK takes a property path as
// one string: its segments are joined with NUL, as the ABI defines.
export * from "@gcoredev/proxy-wasm-sdk-as/assembly/proxy";
import {
  RootContext, Context, registerRootContext, stream_context, FilterHeadersStatusValues,
  log, LogLevelValues, get_property, set_property,
} from "@gcoredev/proxy-wasm-sdk-as/assembly";

class PropertiesRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new Properties(context_id, this);
  }
}

function text(path: string): string {
  const value = get_property(path);
  if (value.byteLength == 0) {
    log(LogLevelValues.warn, "property " + path.replaceAll("\0", ".") + " is missing");
    return "(missing)";
  }
  return String.UTF8.decode(value);
}

class Properties extends Context {
  onRequestHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    const path = text("request\0path");
    const method = text("request\0method");
    const plugin = text("plugin_name");
    const source = text("source\0address");
    set_property("pwconf\0seen", String.UTF8.encode("yes"));
    const roundtrip = text("pwconf\0seen");
    const request = stream_context.headers.request;
    request.add("x-prop-path", path);
    request.add("x-prop-method", method);
    request.add("x-prop-plugin", plugin);
    request.add("x-prop-source", source);
    request.add("x-prop-roundtrip", roundtrip);
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(count: u32, end_of_stream: bool): FilterHeadersStatusValues {
    const value = get_property("response\0code");
    let code = "(missing)";
    if (value.byteLength == 8) {
      code = load<u64>(changetype<usize>(value)).toString();
    } else if (value.byteLength > 0) {
      code = "(bad: " + value.byteLength.toString() + " bytes)";
    }
    stream_context.headers.response.add("x-prop-code", code);
    return FilterHeadersStatusValues.Continue;
  }
}

registerRootContext((context_id: u32) => new PropertiesRoot(context_id), "properties");
