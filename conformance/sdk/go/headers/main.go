// An HTTP filter built with the Proxy-Wasm Go SDK that edits headers as SDK users do: on
// the request it adds `x-pwconf-request: added`, replaces `user-agent` with `pwconf` and
// removes `x-remove-me`; on the response it adds `x-pwconf: <plugin configuration>`
// (`added` without one), replaces `server` with `pwconf` and removes `x-powered-by`.
package main

import (
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

func main() {}

func init() {
	proxywasm.SetVMContext(&vmContext{})
}

type vmContext struct {
	types.DefaultVMContext
}

func (*vmContext) NewPluginContext(contextID uint32) types.PluginContext {
	return &pluginContext{value: "added"}
}

type pluginContext struct {
	types.DefaultPluginContext
	value string
}

func (p *pluginContext) OnPluginStart(pluginConfigurationSize int) types.OnPluginStartStatus {
	config, err := proxywasm.GetPluginConfiguration()
	if err == nil && len(config) > 0 {
		p.value = string(config)
	}
	return types.OnPluginStartStatusOK
}

func (p *pluginContext) NewHttpContext(contextID uint32) types.HttpContext {
	return &headers{value: p.value}
}

type headers struct {
	types.DefaultHttpContext
	value string
}

func (h *headers) OnHttpRequestHeaders(numHeaders int, endOfStream bool) types.Action {
	if err := proxywasm.AddHttpRequestHeader("x-pwconf-request", "added"); err != nil {
		proxywasm.LogErrorf("add x-pwconf-request: %v", err)
	}
	if err := proxywasm.ReplaceHttpRequestHeader("user-agent", "pwconf"); err != nil {
		proxywasm.LogErrorf("replace user-agent: %v", err)
	}
	if err := proxywasm.RemoveHttpRequestHeader("x-remove-me"); err != nil {
		proxywasm.LogErrorf("remove x-remove-me: %v", err)
	}
	return types.ActionContinue
}

func (h *headers) OnHttpResponseHeaders(numHeaders int, endOfStream bool) types.Action {
	if err := proxywasm.AddHttpResponseHeader("x-pwconf", h.value); err != nil {
		proxywasm.LogErrorf("add x-pwconf: %v", err)
	}
	if err := proxywasm.ReplaceHttpResponseHeader("server", "pwconf"); err != nil {
		proxywasm.LogErrorf("replace server: %v", err)
	}
	if err := proxywasm.RemoveHttpResponseHeader("x-powered-by"); err != nil {
		proxywasm.LogErrorf("remove x-powered-by: %v", err)
	}
	return types.ActionContinue
}
