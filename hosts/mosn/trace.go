// What the engine sees of a VM, as the protocol's `trace` reports it: every callback the
// host makes into the guest (from the library's exports, the allocator and the
// initializers) and every hostcall the guest makes (the library's `env` functions and
// wazero's WASI), through wazero's function listeners on host functions.
package main

import (
	"context"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// statusNames are the proxy_status_t names (spec/enums.yaml), by value.
var statusNames = []string{"OK", "NOT_FOUND", "BAD_ARGUMENT", "SERIALIZATION_FAILURE", "PARSE_FAILURE",
	"BAD_EXPRESSION", "INVALID_MEMORY_ACCESS", "EMPTY", "CAS_MISMATCH", "RESULT_MISMATCH",
	"INTERNAL_FAILURE", "BROKEN_CONNECTION", "UNIMPLEMENTED"}

// errnoNames are the wasi_errno_t names the spec knows, by value.
var errnoNames = map[uint32]string{0: "SUCCESS", 8: "BADF", 20: "NOTDIR", 21: "FAULT", 28: "INVAL",
	44: "NOENT", 52: "NOSYS", 58: "NOTSUP", 76: "NOTCAPABLE"}

func statusName(module string, code uint32) string {
	if module == "env" {
		if int(code) < len(statusNames) {
			return statusNames[code]
		}
	} else if name, ok := errnoNames[code]; ok {
		return name
	}
	return itoa(code)
}

// tracer collects one VM's events.
type tracer struct {
	events []traceEvent
}

func unsignedArgs(params []uint64, types []api.ValueType) []int64 {
	out := make([]int64, len(params))
	for i, v := range params {
		if i < len(types) && types[i] == api.ValueTypeI32 {
			out[i] = int64(uint32(v))
		} else {
			out[i] = int64(v)
		}
	}
	return out
}

// callback records a call into the guest; the returned func fills in how it ended.
func (t *tracer) callback(name string, params []uint64, types []api.ValueType) func(results []uint64, resultTypes []api.ValueType, err error) {
	if t == nil {
		return func([]uint64, []api.ValueType, error) {}
	}
	index := len(t.events)
	t.events = append(t.events, traceEvent{Kind: "callback", Name: name, Args: unsignedArgs(params, types)})
	return func(results []uint64, resultTypes []api.ValueType, err error) {
		e := &t.events[index]
		if err != nil {
			trap := "trap"
			e.Outcome = &trap
			return
		}
		if len(results) > 0 {
			v := int64(results[0])
			if len(resultTypes) > 0 && resultTypes[0] == api.ValueTypeI32 {
				v = int64(int32(uint32(results[0])))
			}
			e.Result = &v
		}
	}
}

// listeners returns the listener factory that records the hostcalls into t.
func (t *tracer) listeners() experimental.FunctionListenerFactory {
	return experimental.FunctionListenerFactoryFunc(func(def api.FunctionDefinition) experimental.FunctionListener {
		if def.GoFunction() == nil {
			return nil
		}
		return &hostcallListener{t: t}
	})
}

type hostcallListener struct {
	t     *tracer
	stack [][]int64
}

func (l *hostcallListener) Before(_ context.Context, _ api.Module, def api.FunctionDefinition, params []uint64, _ experimental.StackIterator) {
	l.stack = append(l.stack, unsignedArgs(params, def.ParamTypes()))
}

func (l *hostcallListener) pop() []int64 {
	args := l.stack[len(l.stack)-1]
	l.stack = l.stack[:len(l.stack)-1]
	return args
}

func (l *hostcallListener) After(_ context.Context, _ api.Module, def api.FunctionDefinition, results []uint64) {
	e := traceEvent{Kind: "hostcall", Name: def.Name(), Args: l.pop()}
	if len(results) > 0 {
		s := statusName(def.ModuleName(), uint32(results[0]))
		e.Status = &s
	}
	l.t.events = append(l.t.events, e)
}

func (l *hostcallListener) Abort(_ context.Context, _ api.Module, def api.FunctionDefinition, _ error) {
	l.t.events = append(l.t.events, traceEvent{Kind: "hostcall", Name: def.Name(), Args: l.pop()})
}
