// An HTTP filter built with the Proxy-Wasm Go SDK whose VM and plugin configurations are
// JSON, decoded with encoding/json (which Go's own compiler supports, unlike TinyGo):
//   - VM configuration `{"greeting": "<text>"}` (optional): every response gets
//     `x-greeting: <text>`. Anything else than a JSON object fails the VM start.
//   - plugin configuration `{"header": "<name>", "value": "<value>", "deny_paths": [...]}`:
//     requests get `<name>: <value>`; a request whose path is listed gets a local reply
//     404. Invalid JSON or a missing `header` fails OnPluginStart, with an error log.
package main

import (
	"encoding/json"
	"slices"

	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

func main() {}

func init() {
	proxywasm.SetVMContext(&vmContext{})
}

type vmContext struct {
	types.DefaultVMContext
	greeting string
}

func (vm *vmContext) OnVMStart(vmConfigurationSize int) types.OnVMStartStatus {
	data, err := proxywasm.GetVMConfiguration()
	if err != nil || len(data) == 0 {
		return types.OnVMStartStatusOK
	}
	var config any
	if err := json.Unmarshal(data, &config); err != nil {
		proxywasm.LogErrorf("vm configuration is not JSON: %v", err)
		return types.OnVMStartStatusFailed
	}
	object, ok := config.(map[string]any)
	if !ok {
		compact, _ := json.Marshal(config)
		proxywasm.LogErrorf("vm configuration must be a JSON object, got %s", compact)
		return types.OnVMStartStatusFailed
	}
	vm.greeting, _ = object["greeting"].(string)
	proxywasm.LogInfof("vm configuration: greeting %q", vm.greeting)
	return types.OnVMStartStatusOK
}

func (vm *vmContext) NewPluginContext(contextID uint32) types.PluginContext {
	return &pluginContext{vm: vm}
}

// settings is the plugin configuration's JSON.
type settings struct {
	Header    *string  `json:"header"`
	Value     string   `json:"value"`
	DenyPaths []string `json:"deny_paths"`
}

type pluginContext struct {
	types.DefaultPluginContext
	vm       *vmContext
	settings settings
}

func (p *pluginContext) OnPluginStart(pluginConfigurationSize int) types.OnPluginStartStatus {
	data, err := proxywasm.GetPluginConfiguration()
	if err != nil && err != types.ErrorStatusNotFound {
		proxywasm.LogErrorf("plugin configuration unreadable: %v", err)
		return types.OnPluginStartStatusFailed
	}
	if err := json.Unmarshal(data, &p.settings); err != nil {
		proxywasm.LogErrorf("plugin configuration is not JSON: %v", err)
		return types.OnPluginStartStatusFailed
	}
	if p.settings.Header == nil {
		proxywasm.LogError(`plugin configuration lacks "header"`)
		return types.OnPluginStartStatusFailed
	}
	proxywasm.LogInfof("plugin configuration: %s = %s, %d denied path(s)",
		*p.settings.Header, p.settings.Value, len(p.settings.DenyPaths))
	return types.OnPluginStartStatusOK
}

func (p *pluginContext) NewHttpContext(contextID uint32) types.HttpContext {
	return &configFilter{settings: &p.settings, greeting: p.vm.greeting}
}

type configFilter struct {
	types.DefaultHttpContext
	settings *settings
	greeting string
}

func (f *configFilter) OnHttpRequestHeaders(numHeaders int, endOfStream bool) types.Action {
	path, _ := proxywasm.GetHttpRequestHeader(":path")
	if slices.Contains(f.settings.DenyPaths, path) {
		if err := proxywasm.SendHttpResponse(404, nil, []byte("no such path\n"), -1); err != nil {
			proxywasm.LogErrorf("local reply: %v", err)
		}
		return types.ActionPause
	}
	if err := proxywasm.ReplaceHttpRequestHeader(*f.settings.Header, f.settings.Value); err != nil {
		proxywasm.LogErrorf("set %s: %v", *f.settings.Header, err)
	}
	return types.ActionContinue
}

func (f *configFilter) OnHttpResponseHeaders(numHeaders int, endOfStream bool) types.Action {
	if f.greeting != "" {
		if err := proxywasm.AddHttpResponseHeader("x-greeting", f.greeting); err != nil {
			proxywasm.LogErrorf("add x-greeting: %v", err)
		}
	}
	return types.ActionContinue
}
