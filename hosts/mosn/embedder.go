// The parts proxy-wasm-go-host leaves to its embedder, written as MOSN's own embedder
// writes them (its proxywasm010 ImportsHandler): the stream's maps (headers.go) and
// bodies, the log sink, metrics (metrics.go), properties (properties.go), the tick period, HTTP callouts answered inside
// Wait() (MOSN's synchronous callout: the instance waits for the answer after the
// callback returns, then delivers it), queue-ready notices for the root that registered
// a queue, and the clock. Shared data and the queues themselves are the library's own
// (its DefaultImportsHandler's process-wide store), as MOSN uses them.
package main

import (
	"mosn.io/proxy-wasm-go-host/proxywasm/common"
	v1 "mosn.io/proxy-wasm-go-host/proxywasm/v1"
)

// stream is one HTTP stream's or TCP connection's state, as the proxy holds it.
type stream struct {
	contextID       int32
	requestHeaders  *headerMap
	requestBody     common.IoBuffer
	requestTrailers *headerMap
	responseHeaders *headerMap
	responseBody    common.IoBuffer
	responseTrail   *headerMap
	downstreamData  common.IoBuffer
	upstreamData    common.IoBuffer
	localReply      *localReply
	properties      map[string]string
	// Body bytes received so far, request and response (shared by the filters).
	sizes *[2]uint64
}

// pendingCall is an HTTP callout made during a callback, answered in Wait().
type pendingCall struct {
	token   int32
	cluster string
	timeout int32
	context int32
}

// handler is the ImportsHandler of one plugin (root context); the stream it serves is
// set for each stream callback.
type handler struct {
	v1.DefaultImportsHandler
	run    *run
	plugin *pluginVM
	stream *stream
	// The context the current callback runs in (set_effective_context changes it).
	current int32
	// The context the callback was called in.
	callbackContext int32
	// "vm_start" or "configure" while the root starts: its configuration buffer is
	// readable then only, as in Envoy.
	phase   string
	pending *pendingCall
	// A local reply was sent in this callback: Wait() answers Pause, as MOSN's does.
	directResponse bool
	// The callout answer being delivered (its buffers are readable in the callback).
	calloutHeaders  *headerMap
	calloutBody     common.IoBuffer
	calloutTrailers *headerMap
}

func (h *handler) Log(level v1.LogLevel, msg string) v1.WasmResult {
	if level > v1.LogLevelCritical {
		return v1.WasmResultBadArgument
	}
	h.run.log(levelName(int(level)), msg, h.plugin.spec.Name)
	return v1.WasmResultOk
}

func levelName(level int) string {
	return [...]string{"trace", "debug", "info", "warn", "error", "critical"}[level]
}

func (h *handler) GetRootContextID() int32 { return h.plugin.root }

// SetEffectiveContextID: 0 names the context of the callback itself; an unknown id is
// refused and the effective context stays.
func (h *handler) SetEffectiveContextID(contextID int32) v1.WasmResult {
	if contextID == 0 {
		contextID = h.callbackContext
	}
	if !h.plugin.vm.knows(contextID) {
		return v1.WasmResultBadArgument
	}
	h.current = contextID
	return v1.WasmResultOk
}

// active is the stream of the effective context (nil when a root is effective).
func (h *handler) active() *stream {
	if h.stream == nil || h.current != h.stream.contextID {
		return nil
	}
	return h.stream
}

func (h *handler) SetTickPeriodMilliseconds(ms int32) v1.WasmResult {
	h.run.setTick(h.plugin, ms)
	return v1.WasmResultOk
}

// GetCurrentTimeNanoseconds: the run's wall clock; the library's interface carries it as
// an int32, so what reaches the guest is truncated there.
func (h *handler) GetCurrentTimeNanoseconds() (int32, v1.WasmResult) {
	return int32(h.run.clock.realtimeNanos()), v1.WasmResultOk
}

func (h *handler) GetVmConfig() common.IoBuffer {
	if h.phase != "vm_start" {
		return nil
	}
	return common.NewIoBufferBytes(append([]byte(nil), h.plugin.spec.VM.Configuration...))
}

func (h *handler) GetPluginConfig() common.IoBuffer {
	if h.phase != "configure" {
		return nil
	}
	return common.NewIoBufferBytes(append([]byte(nil), h.plugin.configuration...))
}

// Metrics: one registry per run, names unique (a second definition answers the first id).

func (h *handler) DefineMetric(t v1.MetricType, name string) (int32, v1.WasmResult) {
	return h.run.metrics.define(int(t), name), v1.WasmResultOk
}

func (h *handler) IncrementMetric(id int32, offset int64) v1.WasmResult {
	return h.run.metrics.increment(id, offset)
}

func (h *handler) RecordMetric(id int32, value int64) v1.WasmResult {
	return h.run.metrics.record(id, value)
}

func (h *handler) GetMetric(id int32) (int64, v1.WasmResult) { return h.run.metrics.get(id) }

func (h *handler) RemoveMetric(id int32) v1.WasmResult { return h.run.metrics.remove(id) }

// The stream's maps and buffers (nil outside a stream: the library answers NOT_FOUND).

func (h *handler) GetHttpRequestHeader() common.HeaderMap {
	s := h.active()
	if s == nil || s.requestHeaders == nil {
		return nil
	}
	return s.requestHeaders
}

func (h *handler) GetHttpRequestTrailer() common.HeaderMap {
	s := h.active()
	if s == nil || s.requestTrailers == nil {
		return nil
	}
	return s.requestTrailers
}

func (h *handler) GetHttpResponseHeader() common.HeaderMap {
	s := h.active()
	if s == nil || s.responseHeaders == nil {
		return nil
	}
	return s.responseHeaders
}

func (h *handler) GetHttpResponseTrailer() common.HeaderMap {
	s := h.active()
	if s == nil || s.responseTrail == nil {
		return nil
	}
	return s.responseTrail
}

func (h *handler) GetHttpRequestBody() common.IoBuffer {
	s := h.active()
	if s == nil {
		return nil
	}
	return s.requestBody
}

func (h *handler) GetHttpResponseBody() common.IoBuffer {
	s := h.active()
	if s == nil {
		return nil
	}
	return s.responseBody
}

func (h *handler) GetDownStreamData() common.IoBuffer {
	s := h.active()
	if s == nil {
		return nil
	}
	return s.downstreamData
}

func (h *handler) GetUpstreamData() common.IoBuffer {
	s := h.active()
	if s == nil {
		return nil
	}
	return s.upstreamData
}

func (h *handler) GetHttpCallResponseHeaders() common.HeaderMap {
	if h.calloutHeaders == nil {
		return nil
	}
	return h.calloutHeaders
}

func (h *handler) GetHttpCallResponseBody() common.IoBuffer { return h.calloutBody }

func (h *handler) GetHttpCallResponseTrailer() common.HeaderMap {
	if h.calloutTrailers == nil {
		return nil
	}
	return h.calloutTrailers
}

// A stream never waits in a filter with this library (see Wait), so there is nothing
// to resume: the call succeeds when there is a stream.
func (h *handler) ResumeHttpRequest() v1.WasmResult  { return h.inStream() }
func (h *handler) ResumeHttpResponse() v1.WasmResult { return h.inStream() }
func (h *handler) ResumeDownstream() v1.WasmResult   { return h.inStream() }
func (h *handler) ResumeUpstream() v1.WasmResult     { return h.inStream() }

func (h *handler) inStream() v1.WasmResult {
	if h.active() == nil {
		return v1.WasmResultNotFound
	}
	return v1.WasmResultOk
}

func (h *handler) SendHttpResp(code int32, details, body common.IoBuffer, headers common.HeaderMap, grpc int32) v1.WasmResult {
	s := h.active()
	if s == nil {
		return v1.WasmResultNotFound
	}
	reply := &localReply{Status: uint32(code), Headers: sortedHeaders(headers)}
	if details != nil {
		reply.Details = string(details.Bytes())
	}
	if body != nil {
		reply.Body = append(Data(nil), body.Bytes()...)
	}
	if grpc >= 0 {
		g := uint32(grpc)
		reply.GrpcStatus = &g
	}
	s.localReply = reply
	h.directResponse = true
	return v1.WasmResultOk
}

// HttpCall: the cluster must exist; the call is answered in Wait() once the callback
// that made it returns.
func (h *handler) HttpCall(cluster string, headers common.HeaderMap, body common.IoBuffer, trailers common.HeaderMap, timeout int32) (int32, v1.WasmResult) {
	if !h.run.hasCluster(cluster) {
		return 0, v1.WasmResultBadArgument
	}
	if headers == nil {
		return 0, v1.WasmResultBadArgument
	}
	for _, required := range []string{":method", ":path", ":authority"} {
		if _, ok := headers.Get(required); !ok {
			return 0, v1.WasmResultBadArgument
		}
	}
	token := h.run.nextToken()
	c := callout{Cluster: cluster, Kind: "http", Headers: sortedHeaders(headers)}
	if body != nil {
		c.Body = append(Data(nil), body.Bytes()...)
	}
	h.run.callouts = append(h.run.callouts, c)
	h.pending = &pendingCall{token: token, cluster: cluster, timeout: timeout, context: h.current}
	return token, v1.WasmResultOk
}

// Wait is called by the library after every callback: MOSN's embedder answers a callout
// made in it here (synchronously), and answers Pause after a local reply; otherwise the
// stream goes on, whatever the callback returned.
func (h *handler) Wait() v1.Action {
	if p := h.pending; p != nil {
		h.pending = nil
		h.run.answerCallout(h, p)
		return v1.ActionContinue
	}
	if h.directResponse {
		h.directResponse = false
		return v1.ActionPause
	}
	return v1.ActionContinue
}

// CallForeignFunction: the host extensions this proxy registers (the same small set
// pwconf's reference proxy documents, so the suite can call them).
func (h *handler) CallForeignFunction(name string, args []byte) ([]byte, v1.WasmResult) {
	switch name {
	case "pwconf.echo":
		return append([]byte(nil), args...), v1.WasmResultOk
	case "pwconf.reverse":
		out := make([]byte, len(args))
		for i, b := range args {
			out[len(args)-1-i] = b
		}
		return out, v1.WasmResultOk
	case "pwconf.fail":
		return nil, v1.WasmResultInternalFailure
	case "clear_route_cache":
		// Envoy's extension; this proxy has no route cache.
		return []byte{}, v1.WasmResultOk
	}
	return nil, v1.WasmResultNotFound
}

// Done (proxy_done) completes a root whose on_done answered "not yet" (after a
// reconfiguration): it is deleted once the current callback returns. Stream contexts
// are taken as done at their on_done, so nothing else is pending.
func (h *handler) Done() v1.WasmResult {
	r := h.run
	for i, p := range r.retired {
		if p == h.plugin && h.current == p.root {
			r.retired = append(r.retired[:i], r.retired[i+1:]...)
			r.deletes = append(r.deletes, p)
			return v1.WasmResultOk
		}
	}
	return v1.WasmResultNotFound
}

// Queues: the library's registry; the embedder remembers who registered a queue so an
// enqueue can tell that root (proxy_on_queue_ready) once the current callback is done.
func (h *handler) RegisterSharedQueue(name string) (uint32, v1.WasmResult) {
	id, res := h.DefaultImportsHandler.RegisterSharedQueue(name)
	if res == v1.WasmResultOk {
		h.run.queueOwners[id] = h.plugin
	}
	return id, res
}

func (h *handler) EnqueueSharedQueue(id uint32, data string) v1.WasmResult {
	res := h.DefaultImportsHandler.EnqueueSharedQueue(id, data)
	if res == v1.WasmResultOk {
		if owner, ok := h.run.queueOwners[id]; ok {
			h.run.queueReady = append(h.run.queueReady, queueNotice{owner, id})
		}
	}
	return res
}
