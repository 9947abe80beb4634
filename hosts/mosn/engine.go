// The Wasm engine the library leaves to its embedder: proxy-wasm-go-host v0.2.0 ships
// only a wasmer-go (cgo) engine; MOSN registers engines behind the library's
// common.WasmVM / WasmModule / WasmInstance interfaces, and this is one on wazero (pure
// Go), written as such an engine is: one wazero runtime per instance (a VM copy), the
// host functions registered by reflection over the library's `func(instance, i32...)
// i32` imports, WASI from wazero, and `malloc` as the guest allocator, which is what
// every MOSN engine calls for Malloc.
package main

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
	"mosn.io/proxy-wasm-go-host/proxywasm/common"
)

var (
	errNotStarted   = errors.New("instance has not started")
	errStarted      = errors.New("instance has already started")
	errOutOfBounds  = errors.New("memory access out of bounds")
	errNoMemory     = errors.New("module exports no memory")
	errBadSignature = errors.New("host function must be func(common.WasmInstance, i32/i64...) i32/i64")
)

// linkError: the module could not be instantiated (an import missing or of another
// type), as opposed to failing in its initializer.
type linkError struct{ err error }

func (e linkError) Error() string { return "link: " + e.err.Error() }

// wazeroVM is the engine: it compiles modules and shares their compilation.
type wazeroVM struct {
	cache wazero.CompilationCache
}

func newWazeroVM() *wazeroVM {
	vm := &wazeroVM{}
	vm.Init()
	return vm
}

func (vm *wazeroVM) Name() string { return "wazero" }

func (vm *wazeroVM) Init() { vm.cache = wazero.NewCompilationCache() }

// NewModule compiles the bytes once (to learn they are valid and what they export);
// instances compile again from the shared cache in their own runtime.
func (vm *wazeroVM) NewModule(wasmBytes []byte) common.WasmModule {
	m, err := vm.compile(wasmBytes)
	if err != nil {
		return nil
	}
	return m
}

// compile is NewModule with the reason a module is refused (the interface has no error).
func (vm *wazeroVM) compile(wasmBytes []byte) (*wazeroModule, error) {
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(vm.cache))
	defer r.Close(ctx)
	compiled, err := r.CompileModule(ctx, wasmBytes)
	if err != nil {
		return nil, err
	}
	m := &wazeroModule{vm: vm, bytes: wasmBytes}
	for name := range compiled.ExportedFunctions() {
		m.exports = append(m.exports, name)
	}
	m.Init()
	return m, nil
}

type wazeroModule struct {
	vm      *wazeroVM
	bytes   []byte
	exports []string
	abi     []string
	// Run settings every instance of the module gets (WASI environment and clocks).
	settings instanceSettings
}

// instanceSettings: what the embedder gives each instance's WASI.
type instanceSettings struct {
	env      map[string]string
	walltime sys.Walltime
	nanotime sys.Nanotime
	// output logs what the guest writes to fd 1 (info) and fd 2 (error).
	output func(level, text string)
}

// Init lists the ABI markers the module exports (`proxy_abi_version_*`), which MOSN
// matches against its registered ABIs.
func (m *wazeroModule) Init() {
	m.abi = nil
	for _, name := range m.exports {
		if strings.HasPrefix(name, "proxy_abi_version_") {
			m.abi = append(m.abi, name)
		}
	}
}

func (m *wazeroModule) GetABINameList() []string { return m.abi }

func (m *wazeroModule) NewInstance() common.WasmInstance {
	return &wazeroInstance{module: m, funcs: map[string]map[string]interface{}{}}
}

type wazeroInstance struct {
	module *wazeroModule
	// Records the VM's callbacks and hostcalls (nil: not traced).
	tracer  *tracer
	runtime wazero.Runtime
	guest   api.Module
	started bool
	// namespace -> name -> the library's Go function
	funcs map[string]map[string]interface{}

	lock     sync.Mutex
	data     interface{}
	refCount int
}

func (w *wazeroInstance) GetModule() common.WasmModule { return w.module }
func (w *wazeroInstance) GetData() interface{}         { return w.data }
func (w *wazeroInstance) SetData(data interface{})     { w.data = data }

func (w *wazeroInstance) Acquire() bool {
	w.lock.Lock()
	defer w.lock.Unlock()
	if !w.started {
		return false
	}
	w.refCount++
	return true
}

func (w *wazeroInstance) Release() {
	w.lock.Lock()
	w.refCount--
	w.lock.Unlock()
}

func (w *wazeroInstance) Lock(data interface{}) {
	w.lock.Lock()
	w.data = data
}

func (w *wazeroInstance) Unlock() {
	w.data = nil
	w.lock.Unlock()
}

func (w *wazeroInstance) HandleError(error) {}

func (w *wazeroInstance) RegisterFunc(namespace, funcName string, f interface{}) error {
	if w.started {
		return errStarted
	}
	t := reflect.TypeOf(f)
	if t == nil || t.Kind() != reflect.Func || t.NumIn() < 1 || t.NumOut() > 1 {
		return errBadSignature
	}
	if w.funcs[namespace] == nil {
		w.funcs[namespace] = map[string]interface{}{}
	}
	w.funcs[namespace][funcName] = f
	return nil
}

func valueType(t reflect.Type) (api.ValueType, bool) {
	switch t.Kind() {
	case reflect.Int32, reflect.Uint32:
		return api.ValueTypeI32, true
	case reflect.Int64, reflect.Uint64:
		return api.ValueTypeI64, true
	case reflect.Float32:
		return api.ValueTypeF32, true
	case reflect.Float64:
		return api.ValueTypeF64, true
	}
	return 0, false
}

func toGo(t reflect.Type, v uint64) reflect.Value {
	switch t.Kind() {
	case reflect.Int32:
		return reflect.ValueOf(api.DecodeI32(v))
	case reflect.Uint32:
		return reflect.ValueOf(api.DecodeU32(v))
	case reflect.Int64:
		return reflect.ValueOf(int64(v))
	case reflect.Uint64:
		return reflect.ValueOf(v)
	case reflect.Float32:
		return reflect.ValueOf(api.DecodeF32(v))
	default:
		return reflect.ValueOf(api.DecodeF64(v))
	}
}

func fromGo(v reflect.Value) uint64 {
	switch v.Kind() {
	case reflect.Int32, reflect.Int64:
		return uint64(v.Int())
	case reflect.Uint32, reflect.Uint64:
		return v.Uint()
	case reflect.Float32:
		return api.EncodeF32(float32(v.Float()))
	default:
		return api.EncodeF64(v.Float())
	}
}

// hostFunction adapts one of the library's imports to wazero: the instance first, then
// the guest's arguments.
func (w *wazeroInstance) hostFunction(f interface{}) (api.GoModuleFunc, []api.ValueType, []api.ValueType, error) {
	t := reflect.TypeOf(f)
	var params, results []api.ValueType
	for i := 1; i < t.NumIn(); i++ {
		vt, ok := valueType(t.In(i))
		if !ok {
			return nil, nil, nil, errBadSignature
		}
		params = append(params, vt)
	}
	for i := 0; i < t.NumOut(); i++ {
		vt, ok := valueType(t.Out(i))
		if !ok {
			return nil, nil, nil, errBadSignature
		}
		results = append(results, vt)
	}
	fn := reflect.ValueOf(f)
	call := func(ctx context.Context, mod api.Module, stack []uint64) {
		args := make([]reflect.Value, 1, t.NumIn())
		args[0] = reflect.ValueOf(common.WasmInstance(w))
		for i := 1; i < t.NumIn(); i++ {
			args = append(args, toGo(t.In(i), stack[i-1]))
		}
		out := fn.Call(args)
		if len(out) == 1 {
			stack[0] = fromGo(out[0])
		}
	}
	return call, params, results, nil
}

// Start links the registered host functions and WASI, instantiates the module and runs
// its initializer (`_initialize` for a reactor, else `_start`).
func (w *wazeroInstance) Start() error {
	if w.started {
		return errStarted
	}
	ctx := context.Background()
	if w.tracer != nil {
		// Listeners attach when a module compiles, so this runtime compiles its own.
		ctx = experimental.WithFunctionListenerFactory(ctx, w.tracer.listeners())
	}
	w.runtime = wazero.NewRuntime(ctx)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, w.runtime); err != nil {
		return err
	}
	for namespace, funcs := range w.funcs {
		b := w.runtime.NewHostModuleBuilder(namespace)
		for name, f := range funcs {
			call, params, results, err := w.hostFunction(f)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", namespace, name, err)
			}
			b.NewFunctionBuilder().WithGoModuleFunction(call, params, results).Export(name)
		}
		if _, err := b.Instantiate(ctx); err != nil {
			return err
		}
	}
	compiled, err := w.runtime.CompileModule(ctx, w.module.bytes)
	if err != nil {
		return err
	}
	s := w.module.settings
	config := wazero.NewModuleConfig().WithStartFunctions().WithName("")
	for k, v := range s.env {
		config = config.WithEnv(k, v)
	}
	if s.walltime != nil {
		config = config.WithWalltime(s.walltime, 1)
	}
	if s.nanotime != nil {
		config = config.WithNanotime(s.nanotime, 1)
	}
	if s.output != nil {
		config = config.WithStdout(logWriter{"info", s.output}).WithStderr(logWriter{"error", s.output})
	}
	guest, err := w.runtime.InstantiateModule(ctx, compiled, config)
	if err != nil {
		return linkError{err}
	}
	w.guest = guest
	w.started = true
	// A reactor runs `_initialize`, then its `main` (argc, argv 0) or `__main_void`
	// when it has one; a command without `_initialize` runs `_start` (as proxies start
	// WASI modules).
	inits := []string{"_start"}
	if guest.ExportedFunction("_initialize") != nil {
		inits = []string{"_initialize", "main"}
		if guest.ExportedFunction("main") == nil {
			inits[1] = "__main_void"
		}
	}
	for _, name := range inits {
		f := guest.ExportedFunction(name)
		if f == nil {
			continue
		}
		args := make([]uint64, len(f.Definition().ParamTypes()))
		done := w.tracer.callback(name, args, f.Definition().ParamTypes())
		results, err := f.Call(ctx, args...)
		done(results, f.Definition().ResultTypes(), err)
		if err != nil {
			var exit *sys.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 0 {
				w.started = false
				return fmt.Errorf("start-up (%s) failed: %w", name, err)
			}
		}
	}
	return nil
}

func (w *wazeroInstance) Stop() {
	if w.runtime != nil {
		_ = w.runtime.Close(context.Background())
	}
	w.started = false
}

type wazeroFunction struct {
	name   string
	f      api.Function
	tracer *tracer
}

// Call passes the library's int32 arguments and answers an int32 (or nil for a function
// with no result), as the library's exports expect.
func (c wazeroFunction) Call(args ...interface{}) (interface{}, error) {
	params := make([]uint64, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case int32:
			params[i] = api.EncodeI32(v)
		case int64:
			params[i] = uint64(v)
		case uint32:
			params[i] = uint64(v)
		default:
			return nil, fmt.Errorf("argument %d: unsupported type %T", i, a)
		}
	}
	def := c.f.Definition()
	done := c.tracer.callback(c.name, params, def.ParamTypes())
	out, err := c.f.Call(context.Background(), params...)
	done(out, def.ResultTypes(), err)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	switch c.f.Definition().ResultTypes()[0] {
	case api.ValueTypeI64:
		return int64(out[0]), nil
	default:
		return api.DecodeI32(out[0]), nil
	}
}

func (w *wazeroInstance) GetExportsFunc(funcName string) (common.WasmFunction, error) {
	if !w.started {
		return nil, errNotStarted
	}
	f := w.guest.ExportedFunction(funcName)
	if f == nil {
		return nil, fmt.Errorf("the module exports no function %s", funcName)
	}
	return wazeroFunction{name: funcName, f: f, tracer: w.tracer}, nil
}

func (w *wazeroInstance) memory() (api.Memory, error) {
	if !w.started {
		return nil, errNotStarted
	}
	m := w.guest.Memory()
	if m == nil {
		return nil, errNoMemory
	}
	return m, nil
}

// GetExportsMem is the whole linear memory (a view: writes reach the guest).
func (w *wazeroInstance) GetExportsMem(string) ([]byte, error) {
	m, err := w.memory()
	if err != nil {
		return nil, err
	}
	b, _ := m.Read(0, m.Size())
	return b, nil
}

func (w *wazeroInstance) GetMemory(addr, size uint64) ([]byte, error) {
	m, err := w.memory()
	if err != nil {
		return nil, err
	}
	if addr > uint64(m.Size()) || size > uint64(m.Size())-addr {
		return nil, errOutOfBounds
	}
	b, ok := m.Read(uint32(addr), uint32(size))
	if !ok {
		return nil, errOutOfBounds
	}
	return b, nil
}

// PutMemory writes at most size bytes of content at addr.
func (w *wazeroInstance) PutMemory(addr, size uint64, content []byte) error {
	m, err := w.memory()
	if err != nil {
		return err
	}
	if addr > uint64(m.Size()) || size > uint64(m.Size())-addr {
		return errOutOfBounds
	}
	if uint64(len(content)) > size {
		content = content[:size]
	}
	if !m.Write(uint32(addr), content) {
		return errOutOfBounds
	}
	return nil
}

func (w *wazeroInstance) GetByte(addr uint64) (byte, error) {
	b, err := w.GetMemory(addr, 1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (w *wazeroInstance) PutByte(addr uint64, b byte) error {
	return w.PutMemory(addr, 1, []byte{b})
}

func (w *wazeroInstance) GetUint32(addr uint64) (uint32, error) {
	m, err := w.memory()
	if err != nil {
		return 0, err
	}
	if addr > uint64(^uint32(0)) {
		return 0, errOutOfBounds
	}
	v, ok := m.ReadUint32Le(uint32(addr))
	if !ok {
		return 0, errOutOfBounds
	}
	return v, nil
}

func (w *wazeroInstance) PutUint32(addr uint64, value uint32) error {
	m, err := w.memory()
	if err != nil {
		return err
	}
	if addr > uint64(^uint32(0)) || !m.WriteUint32Le(uint32(addr), value) {
		return errOutOfBounds
	}
	return nil
}

// Malloc calls the guest's `malloc` export, as MOSN's engines do.
func (w *wazeroInstance) Malloc(size int32) (uint64, error) {
	f, err := w.GetExportsFunc("malloc")
	if err != nil {
		return 0, err
	}
	out, err := f.Call(size)
	if err != nil {
		return 0, err
	}
	addr, ok := out.(int32)
	if !ok {
		return 0, errors.New("malloc answered no i32")
	}
	return uint64(uint32(addr)), nil
}

// logWriter makes each write of the guest to stdout or stderr one log line, its one
// trailing newline stripped, as Envoy logs them.
type logWriter struct {
	level string
	log   func(level, text string)
}

func (w logWriter) Write(p []byte) (int, error) {
	w.log(w.level, strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
