// Network filters: a connection's bytes through the filters, downstream data in order
// and upstream data in reverse; a filter that pauses holds what it was given.
package main

import (
	"mosn.io/proxy-wasm-go-host/proxywasm/common"
	v1 "mosn.io/proxy-wasm-go-host/proxywasm/v1"
)

// Peer types of proxy_on_*_connection_close, as Envoy reports closes: the upstream's
// end of stream is an UNKNOWN upstream close; the client closing is a REMOTE downstream
// close, the upstream going away a LOCAL one.
const (
	peerUnknown = 0
	peerLocal   = 1
	peerRemote  = 2
)

func (r *run) playTCP(req *request) tcpObserved {
	obs := tcpObserved{UpstreamReceived: Data{}, DownstreamReceived: Data{}}
	network := r.network[worker(req)]
	closedBy := func(who string) {
		if obs.ClosedBy == nil {
			obs.ClosedBy = &who
		}
	}
	if r.refuseTCP {
		closedBy("filter")
		obs.Finished = true
		return obs
	}
	streams := make([]*stream, len(network))
	open := true
	for i, p := range network {
		if p.vm.failed != nil && p.failOpen() {
			continue
		}
		if !p.serving || p.vm.failed != nil {
			open = false
			continue
		}
		s := &stream{contextID: p.vm.newContext()}
		streams[i] = s
		if _, err := p.call(s, s.contextID, "proxy_on_context_create", func(e v1.Exports) (int32, error) {
			return 0, e.ProxyOnContextCreate(s.contextID, p.root)
		}); err != nil {
			streams[i], open = nil, false
			continue
		}
		action, err := p.action(s, "proxy_on_new_connection", func(e v1.Exports) (v1.Action, error) {
			return e.ProxyOnNewConnection(s.contextID)
		})
		if err != nil && !p.failOpen() {
			open = false
		}
		_ = action
	}
	if !open {
		closedBy("filter")
	}
	// pass runs data through the filters (in order for downstream data, reversed for
	// upstream) and answers what comes out, or nil when a filter held it.
	pass := func(data []byte, end bool, downstream bool) []byte {
		idx := make([]int, 0, len(network))
		for i := range network {
			if downstream {
				idx = append(idx, i)
			} else {
				idx = append([]int{i}, idx...)
			}
		}
		for _, i := range idx {
			p, s := network[i], streams[i]
			if s == nil {
				continue
			}
			buf := common.NewIoBufferBytes(append([]byte(nil), data...))
			export := "proxy_on_upstream_data"
			if downstream {
				s.downstreamData = buf
				export = "proxy_on_downstream_data"
			} else {
				s.upstreamData = buf
			}
			action, err := p.action(s, export, func(e v1.Exports) (v1.Action, error) {
				if downstream {
					return e.ProxyOnDownstreamData(s.contextID, int32(len(data)), boolInt(end))
				}
				return e.ProxyOnUpstreamData(s.contextID, int32(len(data)), boolInt(end))
			})
			if err != nil && !p.failOpen() {
				open = false
				closedBy("filter")
				return nil
			}
			if err == nil && action != v1.ActionContinue {
				return nil
			}
			data = buf.Bytes()
		}
		return data
	}
	upstreamClosed := false
	closeAll := func(downstream bool, peer int32) {
		if !downstream {
			if upstreamClosed {
				return
			}
			upstreamClosed = true
		}
		for i, p := range network {
			s := streams[i]
			if s == nil {
				continue
			}
			export := "proxy_on_upstream_connection_close"
			if downstream {
				export = "proxy_on_downstream_connection_close"
			}
			_, _ = p.call(s, s.contextID, export, func(e v1.Exports) (int32, error) {
				if downstream {
					return 0, e.ProxyOnDownstreamConnectionClose(s.contextID, peer)
				}
				return 0, e.ProxyOnUpstreamConnectionClose(s.contextID, peer)
			})
		}
	}
	for _, ev := range req.Events {
		if !open {
			break
		}
		switch ev.Event {
		case "downstream":
			if out := pass(ev.Data, ev.End, true); out != nil {
				obs.UpstreamReceived = append(obs.UpstreamReceived, out...)
			}
		case "upstream":
			if out := pass(ev.Data, ev.End, false); out != nil {
				obs.DownstreamReceived = append(obs.DownstreamReceived, out...)
			}
			if ev.End {
				closeAll(false, peerUnknown)
			}
		case "downstream_close":
			closeAll(true, peerRemote)
			closedBy("downstream")
			open = false
		case "upstream_close":
			closeAll(false, peerUnknown)
			closeAll(true, peerLocal)
			closedBy("upstream")
			open = false
		}
	}
	for i, p := range network {
		s := streams[i]
		if s == nil {
			continue
		}
		id := s.contextID
		if _, err := p.call(s, id, "proxy_on_done", func(e v1.Exports) (int32, error) { return e.ProxyOnDone(id) }); err == nil {
			_, _ = p.call(s, id, "proxy_on_log", func(e v1.Exports) (int32, error) { return 0, e.ProxyOnLog(id) })
			_, _ = p.call(s, id, "proxy_on_delete", func(e v1.Exports) (int32, error) { return 0, e.ProxyOnDelete(id) })
		}
		delete(p.vm.contexts, id)
	}
	obs.Finished = true
	return obs
}
