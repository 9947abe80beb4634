// mosn.io/proxy-wasm-go-host v0.2.0 (the Proxy-Wasm host library MOSN embeds) behind
// pwconf's host-under-test protocol (spec/host-protocol.schema.json): JSON lines on
// stdin, answers on stdout.
//
// The library keeps shared data and queues in process-wide variables (one store per
// proxy process), so each run is played in a fresh child process of this program, as a
// fresh proxy: the parent answers `hello` and passes each run's lines, from `start` to
// `finish`, to its child. What this embedder does not build (foreign-function
// callbacks, which the library's v1 ABI lacks; clusters with real addresses; the
// fail_reload policy) is answered `unsupported`, which pwconf counts as not-observable.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
)

const runtimeName = "mosn.wazero"

func jsonUnmarshal(b []byte, v interface{}) error {
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, v)
}

func hello() map[string]interface{} {
	return map[string]interface{}{
		"type":         "hello",
		"protocol":     protocolVersion,
		"host":         "mosn",
		"version":      "proxy-wasm-go-host 0.2.0",
		"abi":          []string{"0.1.0", "0.2.0"},
		"observations": []string{"effects", "trace", "vms"},
		"runtimes":     []string{runtimeName},
		"clocks":       []string{"virtual", "real"},
	}
}

func write(w *bufio.Writer, v interface{}) error {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(errorReply("internal", err.Error()))
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return err
	}
	return w.Flush()
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--run" {
		child()
		return
	}
	parent()
}

// parent answers hello and quit, and gives each run to a child process.
func parent() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	var c *childRun
	for {
		line, err := in.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			break
		}
		var head struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(line, &head) != nil {
			if write(out, errorReply("protocol", "not a JSON object")) != nil {
				return
			}
			continue
		}
		var reply []byte
		switch head.Type {
		case "hello":
			reply, _ = json.Marshal(hello())
		case "quit":
			if c != nil {
				c.stop()
			}
			return
		default:
			if head.Type == "start" {
				if c != nil {
					c.stop()
				}
				c, err = startChild()
				if err != nil {
					reply, _ = json.Marshal(errorReply("internal", err.Error()))
					break
				}
			}
			if c == nil {
				reply, _ = json.Marshal(errorReply("step", head.Type+" before start"))
				break
			}
			reply, err = c.exchange(line)
			if err != nil {
				c.stop()
				c = nil
				reply, _ = json.Marshal(errorReply("internal", "the run's process ended: "+err.Error()))
				break
			}
			var answer struct {
				Type string `json:"type"`
			}
			_ = json.Unmarshal(reply, &answer)
			// A run ends with its observations, or with a start that failed.
			if answer.Type == "observations" || (head.Type == "start" && answer.Type == "error") {
				c.stop()
				c = nil
			}
		}
		if _, err := out.Write(append(reply, '\n')); err != nil {
			return
		}
		if out.Flush() != nil {
			return
		}
	}
	if c != nil {
		c.stop()
	}
}

type childRun struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startChild() (*childRun, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "--run")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &childRun{cmd: cmd, in: in, out: bufio.NewReader(out)}, nil
}

func (c *childRun) exchange(line []byte) ([]byte, error) {
	if _, err := c.in.Write(line); err != nil {
		return nil, err
	}
	reply, err := c.out.ReadBytes('\n')
	if err != nil {
		return nil, err
	}
	return reply[:len(reply)-1], nil
}

func (c *childRun) stop() {
	_ = c.in.Close()
	_ = c.cmd.Wait()
}

// child plays one run: start, its steps, finish.
func child() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	// The library prints (fmt.Println) when it finds no handler: keep that off the
	// protocol's stream.
	os.Stdout = os.Stderr
	var r *run
	for {
		line, err := in.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			return
		}
		var req request
		if err := json.Unmarshal(line, &req); err != nil {
			if write(out, errorReply("protocol", err.Error())) != nil {
				return
			}
			continue
		}
		reply, done := handle(&req, &r)
		if write(out, reply) != nil || done {
			return
		}
	}
}

func handle(req *request, r **run) (interface{}, bool) {
	if req.Type != "start" && *r == nil {
		return errorReply("step", req.Type+" before start"), false
	}
	switch req.Type {
	case "start":
		started, err := newRun(req)
		switch e := err.(type) {
		case nil:
			*r = started
			return typed("started"), false
		case loadError:
			return errorReply("load", e.msg), true
		case unsupportedError:
			return errorReply("unsupported", e.msg), true
		default:
			return errorReply("protocol", err.Error()), true
		}
	case "http":
		if worker(req) >= len((*r).filters) {
			return errorReply("step", fmt.Sprintf("worker %d: the run has %d", worker(req), len((*r).filters))), false
		}
		(*r).http[req.Name] = (*r).playHTTP(req)
		return typed("done"), false
	case "tcp":
		if worker(req) >= len((*r).network) {
			return errorReply("step", fmt.Sprintf("worker %d: the run has %d", worker(req), len((*r).network))), false
		}
		(*r).tcp[req.Name] = (*r).playTCP(req)
		return typed("done"), false
	case "advance":
		(*r).advance(req.Millis)
		return typed("done"), false
	case "reconfigure":
		var configuration Data
		if err := jsonUnmarshal(req.Configuration, &configuration); err != nil {
			return errorReply("protocol", "reconfigure: "+err.Error()), false
		}
		if err := (*r).reconfigure(req.Plugin, configuration); err != nil {
			return errorReply("step", "reconfigure: "+err.Error()), false
		}
		return typed("done"), false
	case "foreign_function":
		return errorReply("unsupported", "foreign functions (the library's v1 ABI has no proxy_on_foreign_function)"), false
	case "finish":
		return (*r).finish(), true
	}
	return errorReply("protocol", fmt.Sprintf("unknown request type %q", req.Type)), false
}
