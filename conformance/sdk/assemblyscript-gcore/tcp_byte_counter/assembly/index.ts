// A network (TCP) filter built with @gcoredev/proxy-wasm-sdk-as (which, unlike
// @solo-io/proxy-runtime, exports the TCP callbacks): counts the bytes of each direction,
// logs every chunk (`downstream <n> bytes`, `upstream <n> bytes`) and, when the
// connection ends (onLog), `connection closed: <down> bytes down, <up> bytes up`. Every
// byte passes unchanged.
export * from "@gcoredev/proxy-wasm-sdk-as/assembly/proxy";
import {
  RootContext, Context, registerRootContext, FilterStatusValues, log, LogLevelValues,
  get_buffer_bytes, BufferTypeValues,
} from "@gcoredev/proxy-wasm-sdk-as/assembly";

class CounterRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new ByteCounter(context_id, this);
  }
}

class ByteCounter extends Context {
  // Bytes from the client (downstream) and from the server (upstream) so far.
  down: i32 = 0;
  up: i32 = 0;

  onDownstreamData(size: usize, end: bool): FilterStatusValues {
    // Read the chunk itself rather than trusting the size argument alone.
    const n = get_buffer_bytes(BufferTypeValues.NetworkDownstreamData, 0, size as u32).byteLength;
    this.down += n;
    log(LogLevelValues.info, "downstream " + n.toString() + " bytes");
    return FilterStatusValues.Continue;
  }

  onUpstreamData(size: usize, end: bool): FilterStatusValues {
    const n = get_buffer_bytes(BufferTypeValues.NetworkUpstreamData, 0, size as u32).byteLength;
    this.up += n;
    log(LogLevelValues.info, "upstream " + n.toString() + " bytes");
    return FilterStatusValues.Continue;
  }

  onLog(): void {
    log(LogLevelValues.info, "connection closed: " + this.down.toString() + " bytes down, " + this.up.toString() + " bytes up");
  }
}

registerRootContext((context_id: u32) => new CounterRoot(context_id), "tcp_byte_counter");
