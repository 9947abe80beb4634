// An HTTP filter built with the Proxy-Wasm Go SDK that asks an authorization service
// before letting a request through: it sends `GET /check` with the request's `x-token` to
// the cluster `auth` and pauses the request. When the answer is 200, its body names the
// user, which goes upstream as `x-auth-user`, and the request resumes; any other answer
// gets a local reply 403 `forbidden: <status>`.
package main

import (
	"strings"

	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

const authCluster = "auth"

func main() {}

func init() {
	proxywasm.SetHttpContext(func(contextID uint32) types.HttpContext {
		return &authCallout{}
	})
}

type authCallout struct {
	types.DefaultHttpContext
}

func (*authCallout) OnHttpRequestHeaders(numHeaders int, endOfStream bool) types.Action {
	token, _ := proxywasm.GetHttpRequestHeader("x-token")
	headers := [][2]string{
		{":method", "GET"}, {":path", "/check"}, {":authority", authCluster}, {"x-token", token},
	}
	calloutID, err := proxywasm.DispatchHttpCall(authCluster, headers, nil, nil, 5000, onAuthResponse)
	if err != nil {
		proxywasm.LogErrorf("auth call failed: %v", err)
		if err := proxywasm.SendHttpResponse(500, nil, []byte("auth unavailable\n"), -1); err != nil {
			proxywasm.LogErrorf("local reply: %v", err)
		}
		return types.ActionPause
	}
	proxywasm.LogInfof("auth call %d sent", calloutID)
	return types.ActionPause
}

// onAuthResponse runs in the paused stream's context, so its header calls edit that
// stream's request.
func onAuthResponse(numHeaders, bodySize, numTrailers int) {
	status := ""
	headers, err := proxywasm.GetHttpCallResponseHeaders()
	if err != nil {
		proxywasm.LogErrorf("read auth answer headers: %v", err)
	}
	for _, h := range headers {
		if h[0] == ":status" {
			status = h[1]
		}
	}
	proxywasm.LogInfof("auth call answered %s", status)
	if status != "200" {
		if err := proxywasm.SendHttpResponse(403, nil, []byte("forbidden: "+status+"\n"), -1); err != nil {
			proxywasm.LogErrorf("local reply: %v", err)
		}
		return
	}
	body, err := proxywasm.GetHttpCallResponseBody(0, bodySize)
	if err != nil {
		proxywasm.LogErrorf("read auth answer: %v", err)
	}
	if err := proxywasm.ReplaceHttpRequestHeader("x-auth-user", strings.TrimSpace(string(body))); err != nil {
		proxywasm.LogErrorf("set x-auth-user: %v", err)
	}
	if err := proxywasm.ResumeHttpRequest(); err != nil {
		proxywasm.LogErrorf("resume: %v", err)
	}
}
