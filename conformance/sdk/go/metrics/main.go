// An HTTP filter built with the Proxy-Wasm Go SDK that keeps metrics as SDK users do: a
// counter of requests (`pwconf_go_requests`), a gauge of requests in flight
// (`pwconf_go_active`, up at the request headers, down when the stream is done) and a
// histogram of request body sizes (`pwconf_go_body_bytes`), defined once in
// OnPluginStart. Each response carries the counter's value as read back from the host
// (`x-request-count`).
package main

import (
	"strconv"

	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

func main() {}

func init() {
	proxywasm.SetPluginContext(func(contextID uint32) types.PluginContext {
		return &pluginContext{}
	})
}

type metrics struct {
	requests  proxywasm.MetricCounter
	active    proxywasm.MetricGauge
	bodyBytes proxywasm.MetricHistogram
}

type pluginContext struct {
	types.DefaultPluginContext
	metrics metrics
}

func (p *pluginContext) OnPluginStart(pluginConfigurationSize int) types.OnPluginStartStatus {
	// The SDK panics when the host refuses a definition, which fails the start.
	p.metrics = metrics{
		requests:  proxywasm.DefineCounterMetric("pwconf_go_requests"),
		active:    proxywasm.DefineGaugeMetric("pwconf_go_active"),
		bodyBytes: proxywasm.DefineHistogramMetric("pwconf_go_body_bytes"),
	}
	return types.OnPluginStartStatusOK
}

func (p *pluginContext) NewHttpContext(contextID uint32) types.HttpContext {
	return &metricsFilter{metrics: &p.metrics}
}

type metricsFilter struct {
	types.DefaultHttpContext
	metrics *metrics
}

func (f *metricsFilter) OnHttpRequestHeaders(numHeaders int, endOfStream bool) types.Action {
	f.metrics.requests.Increment(1)
	f.metrics.active.Add(1)
	return types.ActionContinue
}

func (f *metricsFilter) OnHttpRequestBody(bodySize int, endOfStream bool) types.Action {
	if !endOfStream {
		return types.ActionPause
	}
	f.metrics.bodyBytes.Record(uint64(bodySize))
	return types.ActionContinue
}

func (f *metricsFilter) OnHttpResponseHeaders(numHeaders int, endOfStream bool) types.Action {
	count := strconv.FormatUint(f.metrics.requests.Value(), 10)
	if err := proxywasm.AddHttpResponseHeader("x-request-count", count); err != nil {
		proxywasm.LogErrorf("add x-request-count: %v", err)
	}
	return types.ActionContinue
}

func (f *metricsFilter) OnHttpStreamDone() {
	f.metrics.active.Add(-1)
}
