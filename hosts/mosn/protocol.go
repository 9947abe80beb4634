// pwconf's host-under-test protocol (spec/host-protocol.schema.json), the parts this
// host reads and writes: one JSON object per line each way.
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

const protocolVersion = 1

// Data is bytes on the wire: a string when UTF-8, else {"base64": "..."}.
type Data []byte

func (d Data) MarshalJSON() ([]byte, error) {
	if utf8.Valid(d) {
		return json.Marshal(string(d))
	}
	return json.Marshal(map[string]string{"base64": base64.StdEncoding.EncodeToString(d)})
}

func (d *Data) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*d = Data(s)
		return nil
	}
	var enc struct {
		Base64 *string `json:"base64"`
	}
	if err := json.Unmarshal(b, &enc); err != nil || enc.Base64 == nil {
		return errors.New(`expected a string or {"base64": "..."}`)
	}
	raw, err := base64.StdEncoding.DecodeString(*enc.Base64)
	if err != nil {
		return err
	}
	*d = raw
	return nil
}

// Headers are [name, value] pairs in order.
type Headers [][2]string

type request struct {
	Type string `json:"type"`
	// hello
	Protocol int `json:"protocol"`
	// start
	// start: the configuration object; reconfigure: the plugin's new configuration.
	Configuration json.RawMessage          `json:"configuration"`
	Workers       int                      `json:"workers"`
	Clock         string                   `json:"clock"`
	Callouts      map[string]calloutAnswer `json:"callouts"`
	// http, tcp
	Name     string     `json:"name"`
	Worker   *int       `json:"worker"`
	Request  *message   `json:"request"`
	Response *message   `json:"response"`
	Events   []tcpEvent `json:"events"`
	// advance
	Millis uint64 `json:"millis"`
	// reconfigure, foreign_function
	Plugin     string `json:"plugin"`
	FunctionID uint32 `json:"function_id"`
	Arguments  Data   `json:"arguments"`
}

type configuration struct {
	HTTPFilters    []plugin  `json:"http_filters"`
	NetworkFilters []plugin  `json:"network_filters"`
	Services       []service `json:"services"`
	Clusters       []cluster `json:"clusters"`
}

type service struct {
	Singleton bool   `json:"singleton"`
	Plugin    plugin `json:"plugin"`
}

type cluster struct {
	Name    string  `json:"name"`
	Address *string `json:"address"`
}

type plugin struct {
	Name          string        `json:"name"`
	RootID        string        `json:"root_id"`
	Configuration Data          `json:"configuration"`
	FailurePolicy failurePolicy `json:"failure_policy"`
	VM            vm            `json:"vm"`
}

type failurePolicy struct {
	Policy string `json:"policy"`
	// fail_reload's backoff.
	BaseIntervalMs uint64 `json:"base_interval_ms"`
	MaxIntervalMs  uint64 `json:"max_interval_ms"`
}

type vm struct {
	VMID          string            `json:"vm_id"`
	Runtime       string            `json:"runtime"`
	Code          code              `json:"code"`
	Configuration Data              `json:"configuration"`
	Environment   map[string]string `json:"environment"`
}

type code struct {
	Path   *string `json:"path"`
	Base64 *string `json:"base64"`
}

type calloutAnswer struct {
	Headers  Headers  `json:"headers"`
	Body     Data     `json:"body"`
	Trailers Headers  `json:"trailers"`
	DelayMs  uint64   `json:"delay_ms"`
	Reset    bool     `json:"reset"`
	Grpc     *grpcAns `json:"grpc"`
}

type grpcAns struct {
	InitialMetadata  Headers `json:"initial_metadata"`
	Messages         []Data  `json:"messages"`
	TrailingMetadata Headers `json:"trailing_metadata"`
	Status           uint32  `json:"status"`
	StatusMessage    string  `json:"status_message"`
	DelayMs          uint64  `json:"delay_ms"`
}

type message struct {
	Headers  Headers  `json:"headers"`
	Body     []Data   `json:"body"`
	Trailers *Headers `json:"trailers"`
	Metadata Headers  `json:"metadata"`
}

type tcpEvent struct {
	Event string `json:"event"`
	Data  Data   `json:"data"`
	End   bool   `json:"end"`
}

// Replies.

type hostError struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

type received struct {
	Headers  Headers  `json:"headers,omitempty"`
	Body     Data     `json:"body"`
	Trailers *Headers `json:"trailers,omitempty"`
	Complete bool     `json:"complete"`
}

type localReply struct {
	Status     uint32  `json:"status"`
	Details    string  `json:"details"`
	Body       Data    `json:"body"`
	Headers    Headers `json:"headers,omitempty"`
	GrpcStatus *uint32 `json:"grpc_status,omitempty"`
}

type httpObserved struct {
	Upstream   *received   `json:"upstream,omitempty"`
	Downstream *received   `json:"downstream,omitempty"`
	LocalReply *localReply `json:"local_reply,omitempty"`
	Reset      bool        `json:"reset"`
	Finished   bool        `json:"finished"`
}

type tcpObserved struct {
	UpstreamReceived   Data    `json:"upstream_received"`
	DownstreamReceived Data    `json:"downstream_received"`
	ClosedBy           *string `json:"closed_by,omitempty"`
	Finished           bool    `json:"finished"`
}

type logLine struct {
	Level   string `json:"level"`
	Message string `json:"message"`
	Plugin  string `json:"plugin"`
}

type metric struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Value int64  `json:"value"`
}

type startFailure struct {
	Plugin string `json:"plugin"`
	Thread string `json:"thread"`
	Error  string `json:"error"`
}

type callout struct {
	Cluster string  `json:"cluster"`
	Kind    string  `json:"kind"`
	Headers Headers `json:"headers,omitempty"`
	Body    Data    `json:"body"`
}

// traceEvent is a callback the host made or a hostcall the guest made.
type traceEvent struct {
	Kind    string  `json:"kind"`
	Name    string  `json:"name"`
	Args    []int64 `json:"args"`
	Result  *int64  `json:"result,omitempty"`
	Outcome *string `json:"outcome,omitempty"`
	Status  *string `json:"status,omitempty"`
}

type vmTrace struct {
	Thread string       `json:"thread"`
	Events []traceEvent `json:"events"`
}

type vmObserved struct {
	Thread  string   `json:"thread"`
	VMID    string   `json:"vm_id"`
	ABI     string   `json:"abi"`
	Failed  *string  `json:"failed,omitempty"`
	Plugins []string `json:"plugins"`
}

type observations struct {
	Type          string                  `json:"type"`
	HTTP          map[string]httpObserved `json:"http,omitempty"`
	TCP           map[string]tcpObserved  `json:"tcp,omitempty"`
	Logs          []logLine               `json:"logs,omitempty"`
	Metrics       []metric                `json:"metrics,omitempty"`
	StartFailures []startFailure          `json:"start_failures,omitempty"`
	Callouts      []callout               `json:"callouts,omitempty"`
	VMs           []vmObserved            `json:"vms"`
	Trace         []vmTrace               `json:"trace"`
}

func errorReply(kind, msg string) map[string]interface{} {
	return map[string]interface{}{"type": "error", "kind": kind, "message": msg}
}

func typed(t string) map[string]interface{} { return map[string]interface{}{"type": t} }
