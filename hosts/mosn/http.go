// The HTTP filter chain: the request through the filters in order, the response in
// reverse, each callback's action as the library answers it (Wait's, see embedder.go),
// then log, done and delete on every stream context (Envoy's order).
package main

import (
	"mosn.io/proxy-wasm-go-host/proxywasm/common"
	v1 "mosn.io/proxy-wasm-go-host/proxywasm/v1"
)

// failClosedReply: the proxy's answer to a stream a failed plugin would have served.
func failClosedReply() *localReply {
	g := uint32(14)
	return &localReply{Status: 503, Details: "wasm_fail_stream", GrpcStatus: &g}
}

func downstreamOf(reply *localReply) *received {
	h := Headers{{":status", itoa(reply.Status)}}
	h = append(h, reply.Headers...)
	if reply.GrpcStatus != nil {
		h = append(h, [2]string{"grpc-status", itoa(*reply.GrpcStatus)})
	}
	return &received{Headers: h, Body: reply.Body, Complete: true}
}

func itoa(n uint32) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

type phaseResult int

const (
	phaseContinue phaseResult = iota
	phaseStopped
	phaseReset
)

func boolInt(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// phase runs one callback on every filter in order; it stops at a filter that paused,
// sent a local reply or failed (fail closed: a 503 local reply; fail open: skipped).
func (r *run) phase(filters []*pluginVM, streams []*stream, order []int, export string,
	call func(e v1.Exports, s *stream) (v1.Action, error)) phaseResult {
	for k, i := range order {
		p, s := filters[i], streams[i]
		if s == nil {
			return phaseReset
		}
		if p.vm.failed != nil && s.contextID == 0 {
			// A filter whose VM trapped: bypassed (fail open) or a 503 (fail closed).
			if p.failOpen() {
				continue
			}
			if s.localReply == nil {
				s.localReply = failClosedReply()
			}
			// The request's later frames still reach the filters before it.
			r.failedAt = k
			return phaseStopped
		}
		action, err := p.action(s, export, func(e v1.Exports) (v1.Action, error) { return call(e, s) })
		switch {
		case err != nil && p.failOpen():
			continue
		case err != nil:
			if s.localReply == nil {
				s.localReply = failClosedReply()
				return phaseStopped
			}
			return phaseReset
		case s.localReply != nil || action != v1.ActionContinue:
			return phaseStopped
		}
	}
	return phaseContinue
}

func (r *run) playHTTP(req *request) httpObserved {
	obs := httpObserved{}
	filters := r.filters[worker(req)]
	r.reload(filters)
	// A plugin that failed to start and fails closed refuses every stream.
	if r.refuseHTTP {
		reply := failClosedReply()
		obs.LocalReply, obs.Downstream, obs.Finished = reply, downstreamOf(reply), true
		return obs
	}
	in, out := req.Request, req.Response
	if in == nil {
		in = &message{}
	}
	if out == nil {
		out = &message{}
	}
	// One stream state: every filter sees the same maps, as filters of one proxy do.
	// The response's maps exist once the response arrives, the trailers once they do.
	shared := &stream{requestHeaders: newHeaderMap(in.Headers), sizes: &[2]uint64{}}
	var requestTrailers, responseTrailers *headerMap
	responseHeaders := newHeaderMap(out.Headers)
	if in.Trailers != nil {
		requestTrailers = newHeaderMap(*in.Trailers)
	}
	if out.Trailers != nil {
		responseTrailers = newHeaderMap(*out.Trailers)
	}
	streams := make([]*stream, len(filters))
	reset := false
	for i, p := range filters {
		if p.vm.failed != nil {
			streams[i] = &stream{}
			continue
		}
		if !p.serving {
			reset = true
			continue
		}
		s := *shared
		s.contextID = p.vm.newContext()
		streams[i] = &s
		if _, err := p.call(streams[i], s.contextID, "proxy_on_context_create", func(e v1.Exports) (int32, error) {
			return 0, e.ProxyOnContextCreate(s.contextID, p.root)
		}); err != nil {
			streams[i] = nil
			reset = true
		}
	}
	// The stream's maps are shared; bodies and the local reply are kept per filter and
	// passed on as the chain moves.
	order := make([]int, len(filters))
	for i := range order {
		order[i] = i
	}
	reverse := make([]int, len(order))
	for i := range order {
		reverse[i] = order[len(order)-1-i]
	}
	var reply *localReply
	takeReply := func() {
		for _, s := range streams {
			if s != nil && s.localReply != nil && reply == nil {
				reply = s.localReply
			}
		}
	}
	reveal := func(set func(s *stream)) {
		set(shared)
		for _, s := range streams {
			if s != nil {
				set(s)
			}
		}
	}
	var current common.IoBuffer
	setBody := func(request bool, chunk []byte) {
		buf := common.NewIoBufferBytes(append([]byte(nil), chunk...))
		current = buf
		if request {
			shared.sizes[0] += uint64(len(chunk))
		} else {
			shared.sizes[1] += uint64(len(chunk))
		}
		for _, s := range streams {
			if s != nil {
				if request {
					s.requestBody = buf
				} else {
					s.responseBody = buf
				}
			}
		}
	}
	step := func(res phaseResult) bool {
		if res == phaseReset {
			reset = true
		}
		takeReply()
		return res == phaseContinue && reply == nil
	}

	// The request.
	hasTrailers := in.Trailers != nil
	n := int32(len(shared.requestHeaders.pairs))
	r.failedAt = -1
	flowing := !reset && step(r.phase(filters, streams, order, "proxy_on_request_headers", func(e v1.Exports, s *stream) (v1.Action, error) {
		return e.ProxyOnRequestHeaders(s.contextID, n, boolInt(len(in.Body) == 0 && !hasTrailers))
	}))
	// An HTTP/2 METADATA frame after the headers: its callback on every filter, whose
	// answer does not hold the stream (Envoy).
	metadata := func(m Headers, order []int, export string, call func(e v1.Exports, s *stream, n int32) (v1.Action, error)) {
		if !flowing || len(m) == 0 {
			return
		}
		for _, i := range order {
			p, s := filters[i], streams[i]
			if s == nil || s.contextID == 0 {
				continue
			}
			_, _ = p.action(s, export, func(e v1.Exports) (v1.Action, error) { return call(e, s, int32(len(m))) })
		}
	}
	metadata(in.Metadata, order, "proxy_on_request_metadata", func(e v1.Exports, s *stream, n int32) (v1.Action, error) {
		return e.ProxyOnRequestMetadata(s.contextID, n)
	})
	var upstreamBody []byte
	for k, chunk := range in.Body {
		if !flowing && r.failedAt > 0 && reply != nil {
			// Stopped at a failed filter: the body still passes the ones before it.
			cut := order[:r.failedAt]
			setBody(true, chunk)
			size, last := int32(len(chunk)), k+1 == len(in.Body) && !hasTrailers
			r.phase(filters, streams, cut, "proxy_on_request_body", func(e v1.Exports, s *stream) (v1.Action, error) {
				return e.ProxyOnRequestBody(s.contextID, size, boolInt(last))
			})
			continue
		}
		if !flowing {
			break
		}
		last := k+1 == len(in.Body) && !hasTrailers
		if last {
			// The last body callback may add trailers to a message that had none.
			requestTrailers = newHeaderMap(nil)
			reveal(func(s *stream) { s.requestTrailers = requestTrailers })
		}
		setBody(true, chunk)
		size := int32(len(chunk))
		flowing = step(r.phase(filters, streams, order, "proxy_on_request_body", func(e v1.Exports, s *stream) (v1.Action, error) {
			return e.ProxyOnRequestBody(s.contextID, size, boolInt(last))
		}))
		if flowing {
			upstreamBody = append(upstreamBody, current.Bytes()...)
		}
	}
	if flowing && hasTrailers {
		reveal(func(s *stream) { s.requestTrailers = requestTrailers })
		n := int32(len(shared.requestTrailers.pairs))
		flowing = step(r.phase(filters, streams, order, "proxy_on_request_trailers", func(e v1.Exports, s *stream) (v1.Action, error) {
			return e.ProxyOnRequestTrailers(s.contextID, n)
		}))
	}
	if reply == nil && flowing {
		up := &received{Headers: shared.requestHeaders.headers(), Body: upstreamBody, Complete: true}
		if hasTrailers || (requestTrailers != nil && len(requestTrailers.pairs) > 0) {
			t := shared.requestTrailers.headers()
			up.Trailers = &t
		}
		obs.Upstream = up
		// The response, through the chain in reverse.
		hasTrailers := out.Trailers != nil
		reveal(func(s *stream) { s.responseHeaders = responseHeaders })
		n := int32(len(shared.responseHeaders.pairs))
		flowing = step(r.phase(filters, streams, reverse, "proxy_on_response_headers", func(e v1.Exports, s *stream) (v1.Action, error) {
			return e.ProxyOnResponseHeaders(s.contextID, n, boolInt(len(out.Body) == 0 && !hasTrailers))
		}))
		metadata(out.Metadata, reverse, "proxy_on_response_metadata", func(e v1.Exports, s *stream, n int32) (v1.Action, error) {
			return e.ProxyOnResponseMetadata(s.contextID, n)
		})
		var body []byte
		for k, chunk := range out.Body {
			if !flowing {
				break
			}
			last := k+1 == len(out.Body) && !hasTrailers
			if last {
				responseTrailers = newHeaderMap(nil)
				reveal(func(s *stream) { s.responseTrail = responseTrailers })
			}
			setBody(false, chunk)
			size := int32(len(chunk))
			flowing = step(r.phase(filters, streams, reverse, "proxy_on_response_body", func(e v1.Exports, s *stream) (v1.Action, error) {
				return e.ProxyOnResponseBody(s.contextID, size, boolInt(last))
			}))
			if flowing {
				body = append(body, current.Bytes()...)
			}
		}
		if flowing && hasTrailers {
			reveal(func(s *stream) { s.responseTrail = responseTrailers })
			n := int32(len(shared.responseTrail.pairs))
			flowing = step(r.phase(filters, streams, reverse, "proxy_on_response_trailers", func(e v1.Exports, s *stream) (v1.Action, error) {
				return e.ProxyOnResponseTrailers(s.contextID, n)
			}))
		}
		if reply == nil {
			down := &received{Headers: shared.responseHeaders.headers(), Body: body, Complete: flowing}
			if hasTrailers || (responseTrailers != nil && len(responseTrailers.pairs) > 0) {
				t := shared.responseTrail.headers()
				down.Trailers = &t
			}
			obs.Downstream = down
		}
	}
	if reply != nil {
		obs.LocalReply, obs.Downstream = reply, downstreamOf(reply)
	}
	// The stream ends on every filter that has a context.
	for i, p := range filters {
		s := streams[i]
		if s == nil || s.contextID == 0 {
			continue
		}
		id := s.contextID
		for _, cb := range []struct {
			name string
			f    func(e v1.Exports) (int32, error)
		}{
			{"proxy_on_log", func(e v1.Exports) (int32, error) { return 0, e.ProxyOnLog(id) }},
			{"proxy_on_done", func(e v1.Exports) (int32, error) { return e.ProxyOnDone(id) }},
			{"proxy_on_delete", func(e v1.Exports) (int32, error) { return 0, e.ProxyOnDelete(id) }},
		} {
			if _, err := p.call(s, id, cb.name, cb.f); err != nil {
				reset = true
				break
			}
		}
		delete(p.vm.contexts, id)
	}
	obs.Reset = reset
	obs.Finished = true
	return obs
}
