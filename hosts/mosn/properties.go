// Properties (proxy_get_property / proxy_set_property) as an Envoy-like proxy answers
// them: the plugin's identity anywhere, the stream's attributes in its callbacks, the
// connection's, and what the stream stored.
package main

import (
	"strings"

	v1 "mosn.io/proxy-wasm-go-host/proxywasm/v1"
)

// Properties: the plugin's identity anywhere, the stream's attributes in its callbacks,
// and what the stream stored with set_property.
func (h *handler) GetProperty(key string) (string, v1.WasmResult) {
	path := strings.Split(strings.TrimRight(key, "\x00"), "\x00")
	joined := strings.Join(path, ".")
	switch joined {
	case "plugin_name":
		return h.plugin.spec.Name, v1.WasmResultOk
	case "plugin_root_id":
		return h.plugin.spec.RootID, v1.WasmResultOk
	case "plugin_vm_id":
		return h.plugin.spec.VM.VMID, v1.WasmResultOk
	}
	s := h.active()
	if s == nil {
		return "", v1.WasmResultNotFound
	}
	if v, ok := s.properties[joined]; ok {
		return v, v1.WasmResultOk
	}
	header := func(m *headerMap, name string) (string, v1.WasmResult) {
		if m == nil {
			return "", v1.WasmResultNotFound
		}
		if v, ok := m.Get(name); ok {
			return v, v1.WasmResultOk
		}
		return "", v1.WasmResultNotFound
	}
	if len(path) == 3 && path[1] == "headers" && path[0] == "request" {
		return header(s.requestHeaders, path[2])
	}
	if len(path) == 3 && path[1] == "headers" && path[0] == "response" {
		return header(s.responseHeaders, path[2])
	}
	if len(path) == 3 && path[1] == "trailers" && path[0] == "response" {
		return header(s.responseTrail, path[2])
	}
	if len(path) == 2 && path[1] == "headers" && (path[0] == "request" || path[0] == "response") {
		m := s.requestHeaders
		if path[0] == "response" {
			m = s.responseHeaders
		}
		if m == nil {
			return "", v1.WasmResultNotFound
		}
		return string(pairsBytes(m.pairs)), v1.WasmResultOk
	}
	urlPath := func() (string, string, v1.WasmResult) {
		p, res := header(s.requestHeaders, ":path")
		if i := strings.IndexByte(p, '?'); i >= 0 {
			return p[:i], p[i+1:], res
		}
		return p, "", res
	}
	switch joined {
	case "request.url_path":
		p, _, res := urlPath()
		return p, res
	case "request.query":
		_, q, res := urlPath()
		return q, res
	case "request.id":
		return header(s.requestHeaders, "x-request-id")
	case "request.referer":
		return header(s.requestHeaders, "referer")
	case "request.useragent":
		return header(s.requestHeaders, "user-agent")
	case "request.path":
		return header(s.requestHeaders, ":path")
	case "request.method":
		return header(s.requestHeaders, ":method")
	case "request.host":
		return header(s.requestHeaders, ":authority")
	case "request.scheme":
		return header(s.requestHeaders, ":scheme")
	case "response.code":
		v, res := header(s.responseHeaders, ":status")
		if res != v1.WasmResultOk {
			return "", res
		}
		var code uint64
		for _, c := range v {
			code = code*10 + uint64(c-'0')
		}
		return integer(code), v1.WasmResultOk
	case "request.protocol":
		if s.requestHeaders == nil {
			return "", v1.WasmResultNotFound
		}
		return "HTTP/1.1", v1.WasmResultOk
	case "request.size":
		// Envoy: the content-length when there is one, else the body bytes received.
		if v, ok := s.requestHeaders.Get("content-length"); ok {
			var n uint64
			for _, c := range strings.TrimSpace(v) {
				n = n*10 + uint64(c-'0')
			}
			return integer(n), v1.WasmResultOk
		}
		if s.sizes == nil {
			return "", v1.WasmResultNotFound
		}
		return integer(s.sizes[0]), v1.WasmResultOk
	case "response.size":
		if s.responseHeaders == nil || s.sizes == nil {
			return "", v1.WasmResultNotFound
		}
		return integer(s.sizes[1]), v1.WasmResultOk
	case "response.trailers":
		if s.responseTrail == nil {
			return "", v1.WasmResultNotFound
		}
		return string(pairsBytes(s.responseTrail.pairs)), v1.WasmResultOk
	// The downstream connection, as this proxy's listener sees it.
	case "connection.id":
		return integer(1), v1.WasmResultOk
	case "source.address":
		return "127.0.0.1:50000", v1.WasmResultOk
	case "source.port":
		return integer(50000), v1.WasmResultOk
	case "destination.address":
		return "127.0.0.1:10000", v1.WasmResultOk
	case "destination.port":
		return integer(10000), v1.WasmResultOk
	}
	return "", v1.WasmResultNotFound
}

func (h *handler) SetProperty(key, value string) v1.WasmResult {
	s := h.active()
	if s == nil {
		return v1.WasmResultNotFound
	}
	if s.properties == nil {
		s.properties = map[string]string{}
	}
	path := strings.Split(strings.TrimRight(key, "\x00"), "\x00")
	s.properties[strings.Join(path, ".")] = value
	return v1.WasmResultOk
}
