// The metrics registry the library leaves to its embedder (MOSN keeps its own stats):
// counters, gauges and histograms by name, read back at the end of the run.
package main

import v1 "mosn.io/proxy-wasm-go-host/proxywasm/v1"

type metricEntry struct {
	name  string
	kind  int
	value int64
	gone  bool
}

type metrics struct {
	entries []*metricEntry
}

func newMetrics() *metrics { return &metrics{} }

// define answers the id of the metric of that name, defining it when new; ids start at 1.
func (m *metrics) define(kind int, name string) int32 {
	for i, e := range m.entries {
		if e.name == name && !e.gone {
			return int32(i + 1)
		}
	}
	m.entries = append(m.entries, &metricEntry{name: name, kind: kind})
	return int32(len(m.entries))
}

func (m *metrics) find(id int32) *metricEntry {
	if id < 1 || int(id) > len(m.entries) || m.entries[id-1].gone {
		return nil
	}
	return m.entries[id-1]
}

func (m *metrics) increment(id int32, offset int64) v1.WasmResult {
	e := m.find(id)
	if e == nil {
		return v1.WasmResultNotFound
	}
	// Histograms take no increments; counters positive ones only (Envoy).
	if e.kind == int(v1.MetricTypeHistogram) || (e.kind == int(v1.MetricTypeCounter) && offset <= 0) {
		return v1.WasmResultBadArgument
	}
	e.value += offset
	return v1.WasmResultOk
}

// record sets a gauge, and adds to a counter or a histogram (its sum is what is
// reported), as Envoy does.
func (m *metrics) record(id int32, value int64) v1.WasmResult {
	e := m.find(id)
	if e == nil {
		return v1.WasmResultNotFound
	}
	if e.kind != int(v1.MetricTypeGauge) {
		e.value += value
	} else {
		e.value = value
	}
	return v1.WasmResultOk
}

func (m *metrics) get(id int32) (int64, v1.WasmResult) {
	e := m.find(id)
	if e == nil {
		return 0, v1.WasmResultNotFound
	}
	if e.kind == int(v1.MetricTypeHistogram) {
		return 0, v1.WasmResultBadArgument
	}
	return e.value, v1.WasmResultOk
}

func (m *metrics) remove(id int32) v1.WasmResult {
	e := m.find(id)
	if e == nil {
		return v1.WasmResultNotFound
	}
	e.gone = true
	return v1.WasmResultOk
}

func (m *metrics) report() []metric {
	out := []metric{}
	for _, e := range m.entries {
		if e.gone {
			continue
		}
		kind := [...]string{"counter", "gauge", "histogram"}[e.kind]
		out = append(out, metric{Name: e.name, Kind: kind, Value: e.value})
	}
	return out
}
