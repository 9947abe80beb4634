// The shape the Go SDK teaches for aggregating across workers: an HTTP filter, running in
// a VM copy on every worker, enqueues one item per request (`<worker's context id> <path>`)
// on the shared queue `requests`; a singleton Wasm service on the main thread (root id
// `aggregator`, same vm_id) registers that queue, drains it on OnQueueReady and aggregates
// on OnTick, once a second: it logs `tick <n>: <k> new, <total> total` and publishes the
// total through shared data (`pwconf.requests`, written with compare-and-swap as concurrent
// writers need). The HTTP filter answers every response with `x-requests-seen: <total>`
// (`0` before the first tick). Without an aggregator, the filter logs that no queue exists.
package main

import (
	"strconv"

	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

const (
	queueName    = "requests"
	totalKey     = "pwconf.requests"
	aggregatorID = "aggregator"
	tickMillis   = 1000
)

func main() {}

func init() {
	proxywasm.SetVMContext(&vmContext{})
}

type vmContext struct {
	types.DefaultVMContext
}

func (*vmContext) NewPluginContext(contextID uint32) types.PluginContext {
	return &pluginContext{}
}

func property(path ...string) string {
	value, err := proxywasm.GetProperty(path)
	if err != nil {
		return ""
	}
	return string(value)
}

// pluginContext is the aggregator (the singleton service) or the HTTP filter's root,
// depending on its root id.
type pluginContext struct {
	types.DefaultPluginContext
	aggregator bool
	queueID    uint32
	hasQueue   bool
	// The aggregator's counts: items drained since the last tick, ticks and the total.
	pending, ticks, total int
}

func (p *pluginContext) OnPluginStart(pluginConfigurationSize int) types.OnPluginStartStatus {
	p.aggregator = property("plugin_root_id") == aggregatorID
	if p.aggregator {
		queueID, err := proxywasm.RegisterSharedQueue(queueName)
		if err != nil {
			proxywasm.LogErrorf("register queue %s: %v", queueName, err)
			return types.OnPluginStartStatusFailed
		}
		if err := proxywasm.SetTickPeriodMilliSeconds(tickMillis); err != nil {
			proxywasm.LogErrorf("set tick period: %v", err)
			return types.OnPluginStartStatusFailed
		}
		proxywasm.LogInfof("aggregating queue %d", queueID)
		return types.OnPluginStartStatusOK
	}
	// Workers start after the main thread's services, so the queue exists by now if an
	// aggregator runs.
	queueID, err := proxywasm.ResolveSharedQueue(property("plugin_vm_id"), queueName)
	if err != nil {
		proxywasm.LogInfof("no queue %s (%v): requests are not aggregated", queueName, err)
		return types.OnPluginStartStatusOK
	}
	p.queueID, p.hasQueue = queueID, true
	return types.OnPluginStartStatusOK
}

func (p *pluginContext) OnQueueReady(queueID uint32) {
	for {
		item, err := proxywasm.DequeueSharedQueue(queueID)
		if err == types.ErrorStatusEmpty {
			return
		}
		if err != nil {
			proxywasm.LogErrorf("dequeue %d: %v", queueID, err)
			return
		}
		p.pending++
		proxywasm.LogInfof("drained %s", item)
	}
}

func (p *pluginContext) OnTick() {
	p.ticks++
	p.total += p.pending
	proxywasm.LogInfof("tick %d: %d new, %d total", p.ticks, p.pending, p.total)
	p.pending = 0
	for {
		_, cas, err := proxywasm.GetSharedData(totalKey)
		if err != nil && err != types.ErrorStatusNotFound {
			proxywasm.LogErrorf("read %s: %v", totalKey, err)
			return
		}
		err = proxywasm.SetSharedData(totalKey, []byte(strconv.Itoa(p.total)), cas)
		if err != types.ErrorStatusCasMismatch {
			if err != nil {
				proxywasm.LogErrorf("publish %s: %v", totalKey, err)
			}
			return
		}
	}
}

func (p *pluginContext) NewHttpContext(contextID uint32) types.HttpContext {
	if p.aggregator {
		return nil
	}
	return &requestReporter{contextID: contextID, plugin: p}
}

type requestReporter struct {
	types.DefaultHttpContext
	contextID uint32
	plugin    *pluginContext
}

func (r *requestReporter) OnHttpRequestHeaders(numHeaders int, endOfStream bool) types.Action {
	if !r.plugin.hasQueue {
		return types.ActionContinue
	}
	path, _ := proxywasm.GetHttpRequestHeader(":path")
	item := strconv.Itoa(int(r.contextID)) + " " + path
	if err := proxywasm.EnqueueSharedQueue(r.plugin.queueID, []byte(item)); err != nil {
		proxywasm.LogErrorf("enqueue %q: %v", item, err)
	}
	return types.ActionContinue
}

func (r *requestReporter) OnHttpResponseHeaders(numHeaders int, endOfStream bool) types.Action {
	total := "0"
	if value, _, err := proxywasm.GetSharedData(totalKey); err == nil {
		total = string(value)
	}
	if err := proxywasm.AddHttpResponseHeader("x-requests-seen", total); err != nil {
		proxywasm.LogErrorf("add x-requests-seen: %v", err)
	}
	return types.ActionContinue
}
