// An HTTP filter built with the Proxy-Wasm Go SDK that rewrites the response body: it
// holds the body until its end (returning Pause, so the host buffers), then replaces every
// `hello` with `howdy` and drops `content-length`, which no longer holds. Requests with a
// body get `request body <n> bytes` logged at info once the whole body arrived.
package main

import (
	"strings"

	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

func main() {}

func init() {
	proxywasm.SetHttpContext(func(contextID uint32) types.HttpContext {
		return &bodyRewrite{}
	})
}

type bodyRewrite struct {
	types.DefaultHttpContext
}

func (*bodyRewrite) OnHttpRequestBody(bodySize int, endOfStream bool) types.Action {
	if !endOfStream {
		return types.ActionPause
	}
	proxywasm.LogInfof("request body %d bytes", bodySize)
	return types.ActionContinue
}

func (*bodyRewrite) OnHttpResponseHeaders(numHeaders int, endOfStream bool) types.Action {
	if err := proxywasm.RemoveHttpResponseHeader("content-length"); err != nil {
		proxywasm.LogErrorf("remove content-length: %v", err)
	}
	return types.ActionContinue
}

func (*bodyRewrite) OnHttpResponseBody(bodySize int, endOfStream bool) types.Action {
	if !endOfStream {
		// Wait for the whole body: a word may span two chunks.
		return types.ActionPause
	}
	body, err := proxywasm.GetHttpResponseBody(0, bodySize)
	if err != nil {
		proxywasm.LogErrorf("read response body: %v", err)
		return types.ActionContinue
	}
	text := string(body)
	rewritten := strings.ReplaceAll(text, "hello", "howdy")
	if rewritten != text {
		if err := proxywasm.ReplaceHttpResponseBody([]byte(rewritten)); err != nil {
			proxywasm.LogErrorf("replace response body: %v", err)
			return types.ActionContinue
		}
		proxywasm.LogInfof("rewrote response body: %d -> %d bytes", bodySize, len(rewritten))
	}
	return types.ActionContinue
}
