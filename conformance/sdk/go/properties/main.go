// An HTTP filter built with the Proxy-Wasm Go SDK that reads host properties as SDK users
// do and shows them: on the request, `x-prop-path`, `x-prop-method` (strings),
// `x-prop-plugin` (`plugin_name`), `x-prop-source` (`source.address`) and
// `x-prop-roundtrip` (a property it set itself on the stream, read back); on the
// response, `x-prop-code` (`response.code`, an 8-byte little-endian integer).
package main

import (
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

func main() {}

func init() {
	proxywasm.SetHttpContext(func(contextID uint32) types.HttpContext {
		return &properties{}
	})
}

type properties struct {
	types.DefaultHttpContext
}

func text(path ...string) string {
	value, err := proxywasm.GetProperty(path)
	if err != nil {
		proxywasm.LogWarnf("property %s is missing: %v", strings.Join(path, "."), err)
		return "(missing)"
	}
	return string(value)
}

func setHeader(name, value string) {
	if err := proxywasm.ReplaceHttpRequestHeader(name, value); err != nil {
		proxywasm.LogErrorf("set %s: %v", name, err)
	}
}

func (*properties) OnHttpRequestHeaders(numHeaders int, endOfStream bool) types.Action {
	path := text("request", "path")
	method := text("request", "method")
	plugin := text("plugin_name")
	source := text("source", "address")
	if err := proxywasm.SetProperty([]string{"pwconf", "seen"}, []byte("yes")); err != nil {
		proxywasm.LogErrorf("set property pwconf.seen: %v", err)
	}
	roundtrip := text("pwconf", "seen")
	setHeader("x-prop-path", path)
	setHeader("x-prop-method", method)
	setHeader("x-prop-plugin", plugin)
	setHeader("x-prop-source", source)
	setHeader("x-prop-roundtrip", roundtrip)
	return types.ActionContinue
}

func (*properties) OnHttpResponseHeaders(numHeaders int, endOfStream bool) types.Action {
	code := "(missing)"
	if value, err := proxywasm.GetProperty([]string{"response", "code"}); err == nil {
		if len(value) == 8 {
			code = strconv.FormatUint(binary.LittleEndian.Uint64(value), 10)
		} else {
			code = "(bad: " + strconv.Itoa(len(value)) + " bytes)"
		}
	}
	if err := proxywasm.ReplaceHttpResponseHeader("x-prop-code", code); err != nil {
		proxywasm.LogErrorf("set x-prop-code: %v", err)
	}
	return types.ActionContinue
}
