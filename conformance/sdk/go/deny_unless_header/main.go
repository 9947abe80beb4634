// An HTTP filter built with the Proxy-Wasm Go SDK: a request without the header
// `x-pwconf-allow` gets a local reply 403 `denied\n` with `x-denied-by: pwconf` and never
// reaches the upstream; every decision is logged at info as `allowed <path>` or
// `denied <path>`. It needs no plugin state, so it uses the SDK's SetHttpContext entry.
package main

import (
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

const allowHeader = "x-pwconf-allow"

func main() {}

func init() {
	proxywasm.SetHttpContext(func(contextID uint32) types.HttpContext {
		return &denyUnlessHeader{}
	})
}

type denyUnlessHeader struct {
	types.DefaultHttpContext
}

func (*denyUnlessHeader) OnHttpRequestHeaders(numHeaders int, endOfStream bool) types.Action {
	path, _ := proxywasm.GetHttpRequestHeader(":path")
	if _, err := proxywasm.GetHttpRequestHeader(allowHeader); err == nil {
		proxywasm.LogInfof("allowed %s", path)
		return types.ActionContinue
	}
	proxywasm.LogInfof("denied %s", path)
	if err := proxywasm.SendHttpResponse(403, [][2]string{{"x-denied-by", "pwconf"}}, []byte("denied\n"), -1); err != nil {
		proxywasm.LogErrorf("local reply: %v", err)
	}
	return types.ActionPause
}
