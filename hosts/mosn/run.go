// One run (`start` ... `finish`): the plugins' VMs on the wazero engine, their root
// contexts started as MOSN starts a plugin (context create, vm_start, configure), and
// the proxy around them: the HTTP filter chain, network filters, services, ticks and
// queue-ready notices, on the run's clock.
package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"mosn.io/proxy-wasm-go-host/proxywasm/common"
	v1 "mosn.io/proxy-wasm-go-host/proxywasm/v1"
)

// vmInstance is one VM: a module instance on one thread, shared by the plugins of equal
// vm_id and code there.
type vmInstance struct {
	key      string
	thread   string
	vmID     string
	abi      string
	plugins  []string
	trace    *tracer
	instance common.WasmInstance
	nextID   int32
	contexts map[int32]bool
	// Set once a callback trapped: the VM serves nothing more.
	failed error
	// It never started (its initializer failed): no VM runs.
	startFailed bool
	// When it failed (ms on the run's clock).
	failedAt uint64
}

func (v *vmInstance) newContext() int32 {
	v.nextID++
	v.contexts[v.nextID] = true
	return v.nextID
}

func (v *vmInstance) knows(id int32) bool { return v.contexts[id] }

type pluginVM struct {
	spec          plugin
	configuration Data
	vm            *vmInstance
	abi           *v1.ABIContext
	handler       *handler
	root          int32
	// Started: its root context answered vm_start and configure.
	serving bool
	// How many times its VM was rebuilt (fail_reload).
	reloads    int
	tickPeriod uint64
	nextTick   uint64
}

func (p *pluginVM) failOpen() bool { return p.spec.FailurePolicy.Policy == "fail_open" }

type queueNotice struct {
	owner *pluginVM
	id    uint32
}

type run struct {
	clock *runClock
	vms   []*vmInstance
	// Each worker's HTTP and network filter chains (its own VMs).
	filters       [][]*pluginVM
	network       [][]*pluginVM
	services      []*pluginVM
	logs          []logLine
	metrics       *metrics
	startFailures []startFailure
	callouts      []callout
	answers       map[string]calloutAnswer
	clusters      map[string]bool
	http          map[string]httpObserved
	tcp           map[string]tcpObserved
	queueOwners   map[uint32]*pluginVM
	// Roots replaced by a reconfiguration whose on_done answered "not yet": they live
	// (and tick) until they call proxy_done.
	retired []*pluginVM
	// Roots that called proxy_done: deleted once the callback returns.
	deletes    []*pluginVM
	queueReady []queueNotice
	tokens     int32
	// Where in the chain a failed (fail-closed) filter stopped the request, or -1.
	failedAt int
	// How deep in callbacks the run is (queue notices wait for the outermost to end).
	depth int
	// A plugin failed to start and fails closed: every stream is refused.
	refuseHTTP bool
	refuseTCP  bool
	engine     *wazeroVM
}

func (r *run) log(level, msg, plugin string) {
	r.logs = append(r.logs, logLine{Level: level, Message: msg, Plugin: plugin})
}

func (r *run) hasCluster(name string) bool { return r.clusters[name] }

func (r *run) nextToken() int32 {
	r.tokens++
	return r.tokens
}

func (r *run) setTick(p *pluginVM, ms int32) {
	if ms <= 0 {
		p.tickPeriod = 0
		return
	}
	p.tickPeriod = uint64(ms)
	p.nextTick = r.clock.ms + uint64(ms)
}

type loadError struct{ msg string }

func (e loadError) Error() string { return e.msg }

type unsupportedError struct{ msg string }

func (e unsupportedError) Error() string { return e.msg }

func moduleBytes(c code) ([]byte, error) {
	switch {
	case c.Path != nil:
		return os.ReadFile(*c.Path)
	case c.Base64 != nil:
		return base64.StdEncoding.DecodeString(*c.Base64)
	}
	return nil, errors.New("no module code")
}

// The ABIs this embedder registers, as MOSN's ABI registry matches them against the
// markers a module exports: 0.1.0 is the library's v1 (MOSN's proxywasm010); 0.2.0 is
// run on v1 too, as MOSN's Layotto registers it (the library's v2 package, which MOSN
// registers for 0.2.0, implements a draft of the next ABI, whose imports no 0.2.0 module
// has).
var registeredABIs = []string{"proxy_abi_version_0_1_0", "proxy_abi_version_0_2_0"}

func newRun(s *request) (*run, error) {
	var cfg configuration
	if err := jsonUnmarshal(s.Configuration, &cfg); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	workers := s.Workers
	if workers < 1 {
		workers = 1
	}
	r := &run{
		clock:       &runClock{},
		metrics:     newMetrics(),
		answers:     s.Callouts,
		clusters:    map[string]bool{},
		http:        map[string]httpObserved{},
		tcp:         map[string]tcpObserved{},
		queueOwners: map[uint32]*pluginVM{},
		engine:      newWazeroVM(),
		filters:     make([][]*pluginVM, workers),
		network:     make([][]*pluginVM, workers),
	}
	if s.Clock == "real" {
		now := time.Now()
		r.clock.realStart = &now
	}
	for name := range s.Callouts {
		r.clusters[name] = true
	}
	for _, c := range cfg.Clusters {
		if c.Address != nil {
			return nil, unsupportedError{"clusters with a real address"}
		}
		r.clusters[c.Name] = true
	}
	type entry struct {
		p      plugin
		thread string
		into   *[]*pluginVM
		refuse *bool
	}
	var all []entry
	// The main thread's singletons first, then each worker's VMs, as a proxy starts them.
	for _, svc := range cfg.Services {
		if svc.Singleton {
			all = append(all, entry{svc.Plugin, "main", &r.services, nil})
		}
	}
	for w := 0; w < workers; w++ {
		thread := fmt.Sprintf("worker-%d", w)
		for _, svc := range cfg.Services {
			if !svc.Singleton {
				all = append(all, entry{svc.Plugin, thread, &r.services, nil})
			}
		}
		for _, f := range cfg.HTTPFilters {
			all = append(all, entry{f, thread, &r.filters[w], &r.refuseHTTP})
		}
		for _, f := range cfg.NetworkFilters {
			all = append(all, entry{f, thread, &r.network[w], &r.refuseTCP})
		}
	}
	for _, e := range all {
		if e.p.VM.Runtime != runtimeName {
			return nil, unsupportedError{fmt.Sprintf("runtime %s of plugin %s", e.p.VM.Runtime, e.p.Name)}
		}
	}
	for _, e := range all {
		p, err := r.load(e.p, e.thread)
		if err != nil {
			return nil, err
		}
		if p == nil {
			if e.refuse != nil && e.p.FailurePolicy.Policy != "fail_open" {
				*e.refuse = true
			}
			continue
		}
		*e.into = append(*e.into, p)
		if !p.serving && e.refuse != nil && !p.failOpen() {
			*e.refuse = true
		}
	}
	return r, nil
}

// load makes (or reuses) the plugin's VM and starts its root context. A module that
// does not compile, declares no ABI registered here or does not link refuses the whole
// configuration (a load error); a failure after that is the plugin's (nil, recorded).
func (r *run) load(spec plugin, thread string) (*pluginVM, error) {
	codeKey := ""
	if spec.VM.Code.Path != nil {
		codeKey = "path:" + *spec.VM.Code.Path
	} else if spec.VM.Code.Base64 != nil {
		codeKey = *spec.VM.Code.Base64
	}
	key := thread + "\x00" + spec.VM.VMID + "\x00" + codeKey
	var vm *vmInstance
	for _, v := range r.vms {
		if v.key == key {
			vm = v
		}
	}
	fail := func(why string) {
		r.startFailures = append(r.startFailures, startFailure{Plugin: spec.Name, Thread: thread, Error: why})
	}
	p := &pluginVM{spec: spec, configuration: spec.Configuration}
	p.handler = &handler{run: r, plugin: p}
	p.abi = &v1.ABIContext{Imports: p.handler}
	if vm == nil {
		bytes, err := moduleBytes(spec.VM.Code)
		if err != nil {
			return nil, loadError{fmt.Sprintf("plugin %s: %v", spec.Name, err)}
		}
		module, err := r.engine.compile(bytes)
		if err != nil {
			return nil, loadError{fmt.Sprintf("plugin %s: %v", spec.Name, err)}
		}
		abi := ""
		for _, name := range module.GetABINameList() {
			for _, known := range registeredABIs {
				if name == known && abi == "" {
					abi = name
				}
			}
		}
		if abi == "" {
			return nil, loadError{fmt.Sprintf("plugin %s: the module exports no ABI version this host registers (%s)", spec.Name, strings.Join(registeredABIs, ", "))}
		}
		module.settings = instanceSettings{
			env:      spec.VM.Environment,
			walltime: func() (int64, int32) { n := r.clock.realtimeNanos(); return n / 1e9, int32(n % 1e9) },
			nanotime: func() int64 { return r.clock.monotonicNanos() },
			output:   func(level, line string) { r.log(level, line, spec.Name) },
		}
		instance := module.NewInstance()
		trace := &tracer{}
		instance.(*wazeroInstance).tracer = trace
		v1.RegisterImports(instance)
		// What the module logs while it initializes is this plugin's.
		p.abi.Instance = instance
		instance.SetData(p.abi)
		if err := instance.Start(); err != nil {
			msg := err.Error()
			if errors.As(err, new(linkError)) {
				return nil, loadError{fmt.Sprintf("plugin %s: %s", spec.Name, msg)}
			}
			fail(msg)
			r.vms = append(r.vms, &vmInstance{key: key + "\x00failed", thread: thread, vmID: spec.VM.VMID,
				abi: abiVersion(abi), trace: trace, instance: instance, contexts: map[int32]bool{}, failed: err, startFailed: true})
			return nil, nil
		}
		vm = &vmInstance{key: key, thread: thread, vmID: spec.VM.VMID, abi: abiVersion(abi), trace: trace,
			instance: instance, contexts: map[int32]bool{}}
		r.vms = append(r.vms, vm)
	}
	p.vm = vm
	p.abi.Instance = vm.instance
	vm.plugins = append(vm.plugins, spec.Name)
	if vm.failed != nil {
		fail(vm.failed.Error())
		return p, nil
	}
	p.root = vm.newContext()
	if _, err := p.call(nil, p.root, "proxy_on_context_create", func(e v1.Exports) (int32, error) {
		return 0, e.ProxyOnContextCreate(p.root, 0)
	}); err != nil {
		fail(err.Error())
		return p, nil
	}
	p.handler.phase = "vm_start"
	ok, err := p.call(nil, p.root, "proxy_on_vm_start", func(e v1.Exports) (int32, error) {
		return e.ProxyOnVmStart(p.root, int32(len(spec.VM.Configuration)))
	})
	p.handler.phase = ""
	if err != nil {
		fail(fmt.Sprintf("proxy_on_vm_start of plugin %s trapped: %v", spec.Name, err))
		return p, nil
	}
	if ok == 0 {
		fail("proxy_on_vm_start returned false")
		return p, nil
	}
	p.handler.phase = "configure"
	ok, err = p.call(nil, p.root, "proxy_on_configure", func(e v1.Exports) (int32, error) {
		return e.ProxyOnConfigure(p.root, int32(len(p.configuration)))
	})
	p.handler.phase = ""
	switch {
	case err != nil:
		fail(fmt.Sprintf("proxy_on_configure of plugin %s trapped: %v", spec.Name, err))
	case ok == 0:
		fail("proxy_on_configure returned false")
	default:
		p.serving = true
	}
	return p, nil
}

// trapKind is the engine's name for a trap ("unreachable", "integer divide by zero",
// ...), from wazero's "wasm error: <kind>" message.
func trapKind(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "wasm error: "); i >= 0 {
		kind := msg[i+len("wasm error: "):]
		if j := strings.IndexByte(kind, '\n'); j >= 0 {
			kind = kind[:j]
		}
		return kind
	}
	return "error"
}

// abiVersion is the version a marker names (proxy_abi_version_0_2_0 is 0.2.0).
func abiVersion(marker string) string {
	return strings.ReplaceAll(strings.TrimPrefix(marker, "proxy_abi_version_"), "_", ".")
}

// call runs one callback of the plugin in context ctx (with the stream s, or none),
// skipping a callback the module does not export, as proxies do. A trap, or a panic of
// the library, fails the VM. Queue-ready notices raised in it are delivered after.
func (p *pluginVM) call(s *stream, ctx int32, export string, f func(v1.Exports) (int32, error)) (result int32, err error) {
	if p.vm.failed != nil {
		return 0, p.vm.failed
	}
	if _, missing := p.vm.instance.GetExportsFunc(export); missing != nil {
		return 1, nil
	}
	h := p.handler
	h.run.depth++
	defer func() { h.run.depth-- }()
	saved, savedCtx, savedCb := h.stream, h.current, h.callbackContext
	h.stream, h.current, h.callbackContext = s, ctx, ctx
	p.vm.instance.SetData(p.abi)
	func() {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("%s: the library panicked: %v", export, v)
			}
		}()
		result, err = f(p.abi.GetExports())
	}()
	h.stream, h.current, h.callbackContext = saved, savedCtx, savedCb
	if err != nil {
		p.vm.failed = fmt.Errorf("%s: %w", export, err)
		p.vm.failedAt = h.run.clock.ms
		fmt.Fprintf(os.Stderr, "mosn: plugin %s: %v\n", p.spec.Name, p.vm.failed)
		// The proxy logs the trap, as Envoy does (critical).
		h.run.log("critical", fmt.Sprintf("plugin %s: %s trapped (%s): %v", p.spec.Name, export, trapKind(err), err), p.spec.Name)
		return 0, p.vm.failed
	}
	if h.run.depth == 1 {
		h.run.deliverQueues()
		h.run.deliverDeletes()
	}
	return result, nil
}

// action runs a stream callback and answers the library's action for it.
func (p *pluginVM) action(s *stream, export string, f func(v1.Exports) (v1.Action, error)) (v1.Action, error) {
	var action v1.Action
	_, err := p.call(s, s.contextID, export, func(e v1.Exports) (int32, error) {
		a, err := f(e)
		action = a
		return 0, err
	})
	return action, err
}

func (r *run) deliverQueues() {
	for len(r.queueReady) > 0 {
		n := r.queueReady[0]
		r.queueReady = r.queueReady[1:]
		o := n.owner
		_, _ = o.call(nil, o.root, "proxy_on_queue_ready", func(e v1.Exports) (int32, error) {
			return 0, e.ProxyOnQueueReady(o.root, int32(n.id))
		})
	}
}

// answerCallout plays the cluster's scripted answer to a callout: after its delay on
// the run's clock, unless that passes the call's timeout (then Envoy's own 504); a reset
// is a failed call (the response callback with no headers).
func (r *run) answerCallout(h *handler, call *pendingCall) {
	answer := r.answers[call.cluster]
	failed := answer.Reset
	timedOut := false
	delay := answer.DelayMs
	if call.timeout > 0 && delay > uint64(call.timeout) && !failed {
		delay = uint64(call.timeout)
		timedOut = true
	}
	r.clock.moveTo(r.clock.ms + delay)
	var nHeaders, bodySize, nTrailers int32
	switch {
	case timedOut:
		// Envoy answers a timed-out call itself: 504 and its text.
		answer = calloutAnswer{Headers: Headers{{":status", "504"}}, Body: Data("upstream request timeout")}
		fallthrough
	case !failed:
		h.calloutHeaders = newHeaderMap(answer.Headers)
		h.calloutBody = common.NewIoBufferBytes(append([]byte(nil), answer.Body...))
		h.calloutTrailers = newHeaderMap(answer.Trailers)
		nHeaders, bodySize, nTrailers = int32(len(answer.Headers)), int32(len(answer.Body)), int32(len(answer.Trailers))
	default:
		h.calloutHeaders, h.calloutBody, h.calloutTrailers = nil, nil, nil
	}
	p := h.plugin
	s := h.stream
	_, _ = p.call(s, call.context, "proxy_on_http_call_response", func(e v1.Exports) (int32, error) {
		return 0, e.ProxyOnHttpCallResponse(call.context, call.token, nHeaders, bodySize, nTrailers)
	})
	h.calloutHeaders, h.calloutBody, h.calloutTrailers = nil, nil, nil
}

// advance moves the clock, firing every tick it passes in time order.
func (r *run) advance(millis uint64) {
	target := r.clock.ms + millis
	roots := append(r.roots(), r.retired...)
	for {
		var next *pluginVM
		for _, p := range roots {
			if p.tickPeriod > 0 && p.serving && p.nextTick <= target && (next == nil || p.nextTick < next.nextTick) {
				next = p
			}
		}
		if next == nil {
			break
		}
		r.clock.moveTo(next.nextTick)
		next.nextTick += next.tickPeriod
		p := next
		_, _ = p.call(nil, p.root, "proxy_on_tick", func(e v1.Exports) (int32, error) {
			return 0, e.ProxyOnTick(p.root)
		})
	}
	r.clock.moveTo(target)
}

// roots: every plugin's root context, main thread first, then worker by worker.
func (r *run) roots() []*pluginVM {
	out := append([]*pluginVM(nil), r.services...)
	for w := range r.filters {
		out = append(append(out, r.filters[w]...), r.network[w]...)
	}
	return out
}

// worker is the worker a stream asks for (0 when it names none or one past the last).
func worker(req *request) int {
	if req.Worker == nil || *req.Worker < 0 {
		return 0
	}
	return *req.Worker
}

func (r *run) finish() observations {
	// The VMs stop: every root context is done.
	for _, p := range r.roots() {
		if p.serving {
			_, err := p.call(nil, p.root, "proxy_on_done", func(e v1.Exports) (int32, error) {
				return e.ProxyOnDone(p.root)
			})
			if err == nil {
				_, _ = p.call(nil, p.root, "proxy_on_delete", func(e v1.Exports) (int32, error) {
					return 0, e.ProxyOnDelete(p.root)
				})
			}
		}
	}
	vms, traces := []vmObserved{}, []vmTrace{}
	for _, v := range r.vms {
		v.instance.Stop()
		events := v.trace.events
		if events == nil {
			events = []traceEvent{}
		}
		traces = append(traces, vmTrace{Thread: v.thread, Events: events})
		if v.startFailed {
			continue
		}
		o := vmObserved{Thread: v.thread, VMID: v.vmID, ABI: v.abi, Plugins: append([]string{}, v.plugins...)}
		if v.failed != nil {
			why := v.failed.Error()
			o.Failed = &why
		}
		vms = append(vms, o)
	}
	return observations{
		VMs:           vms,
		Trace:         traces,
		Type:          "observations",
		HTTP:          r.http,
		TCP:           r.tcp,
		Logs:          r.logs,
		Metrics:       r.metrics.report(),
		StartFailures: r.startFailures,
		Callouts:      r.callouts,
	}
}
