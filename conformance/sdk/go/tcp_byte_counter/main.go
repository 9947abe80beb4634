// A network (TCP) filter built with the Proxy-Wasm Go SDK: counts the bytes of each
// direction, logs every chunk at info (`downstream <n> bytes`, `upstream <n> bytes`) and,
// when the connection ends (OnStreamDone), `connection closed: <down> bytes down, <up>
// bytes up`, where `down` counts the client's bytes and `up` the server's. Every byte
// passes unchanged.
package main

import (
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

func main() {}

func init() {
	proxywasm.SetTcpContext(func(contextID uint32) types.TcpContext {
		return &byteCounter{}
	})
}

type byteCounter struct {
	types.DefaultTcpContext
	// Bytes from the client (downstream) and from the server (upstream) so far.
	down, up int
}

func (c *byteCounter) OnDownstreamData(dataSize int, endOfStream bool) types.Action {
	// Read the chunk itself rather than trusting the size argument alone.
	data, err := proxywasm.GetDownstreamData(0, dataSize)
	if err != nil && err != types.ErrorStatusNotFound {
		proxywasm.LogErrorf("read downstream data: %v", err)
	}
	c.down += len(data)
	proxywasm.LogInfof("downstream %d bytes", len(data))
	return types.ActionContinue
}

func (c *byteCounter) OnUpstreamData(dataSize int, endOfStream bool) types.Action {
	data, err := proxywasm.GetUpstreamData(0, dataSize)
	if err != nil && err != types.ErrorStatusNotFound {
		proxywasm.LogErrorf("read upstream data: %v", err)
	}
	c.up += len(data)
	proxywasm.LogInfof("upstream %d bytes", len(data))
	return types.ActionContinue
}

func (c *byteCounter) OnStreamDone() {
	proxywasm.LogInfof("connection closed: %d bytes down, %d bytes up", c.down, c.up)
}
