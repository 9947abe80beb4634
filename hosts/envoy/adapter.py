#!/usr/bin/env python3
"""Envoy behind pwconf's host-under-test protocol (spec/host-protocol.schema.json).

Reads one JSON request per line on stdin, answers each with one JSON line on stdout
(stderr is this adapter's own log). Python's standard library plus `h2` (HTTP/2, see
h2io.py), so it also serves as the example of a host adapter written in a language other
than Rust.

For each run (`start` ... `finish`) it writes an Envoy bootstrap from the configuration:
an HTTP listener whose connection manager runs the HTTP Wasm filters then the router, a
TCP listener running the network Wasm filters then tcp_proxy, the services as
`envoy.bootstrap.wasm` extensions, and one cluster per callout cluster. Every listener,
cluster endpoint and the admin interface is on 127.0.0.1 on an ephemeral port. The
upstream of HTTP streams, the upstream of TCP connections and every callout cluster are
loopback HTTP/2 servers of this adapter: they answer what pwconf scripted and record
what reached them. Effects are read from the exchanges, from Envoy's access log (whether a
reply was local, its details), from Envoy's log (`wasm log <plugin>: <message>` lines)
and from admin /stats (the plugins' metrics). Envoy runs on the real clock: `advance`
sleeps.
"""

import argparse
import base64
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import h2io

PROTOCOL_VERSION = 1
RUNTIME = "envoy.wasm.runtime.v8"
# How long a step waits for a stream that has not finished: a paused filter may resume it
# later (a tick, a callout answer), so the step ends without it after this quiet time.
SETTLE_S = 0.6
START_TIMEOUT_S = 30.0


def log(msg):
    print(f"envoy-adapter: {msg}", file=sys.stderr, flush=True)


class StepError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


# ---------------------------------------------------------------- wire data


def data_bytes(value):
    """Protocol Data (a string, or {"base64": ...}) as bytes."""
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, dict) and "base64" in value:
        return base64.b64decode(value["base64"])
    raise StepError("protocol", f"not Data: {value!r}")


def wire(data):
    """Bytes as protocol Data."""
    try:
        return data.decode()
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode()}


def pairs(headers):
    return [[str(k), str(v)] for k, v in (headers or [])]


# ---------------------------------------------------------------- trace values

STATUS = ["OK", "NOT_FOUND", "BAD_ARGUMENT", "SERIALIZATION_FAILURE", "PARSE_FAILURE",
          "BAD_EXPRESSION", "INVALID_MEMORY_ACCESS", "EMPTY", "CAS_MISMATCH",
          "RESULT_MISMATCH", "INTERNAL_FAILURE", "BROKEN_CONNECTION", "UNIMPLEMENTED"]
WASI_ERRNO = {0: "SUCCESS", 8: "BADF", 20: "NOTDIR", 21: "FAULT", 28: "INVAL", 44: "NOENT",
              52: "NOSYS", 58: "NOTSUP"}


def parse_args(text):
    out = []
    for a in text.split(","):
        a = a.strip()
        if not a:
            continue
        try:
            v = int(a)
        except ValueError:
            continue
        # Envoy prints i64 arguments unsigned; pwconf records them signed.
        out.append(v - (1 << 64) if v >= (1 << 63) else v)
    return out


def to_signed32(text):
    try:
        v = int(text)
    except ValueError:
        return None
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= (1 << 31) else v


def status_name(module, text):
    if text == "void":
        return None
    try:
        code = int(text)
    except ValueError:
        return text
    if module == "env":
        return STATUS[code] if 0 <= code < len(STATUS) else str(code)
    return WASI_ERRNO.get(code, str(code))


# ---------------------------------------------------------------- loopback servers


class Server:
    """A loopback TCP server; `handle(conn)` runs on a thread per connection."""

    def __init__(self, handle):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.handle = handle
        self.closed = False
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        try:
            self.handle(conn)
        except (OSError, ValueError) as e:
            log(f"server on {self.port}: {e}")
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def close(self):
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass


def header(headers, name):
    for k, v in headers:
        if k == name:
            return v
    return None


def split_status(headers, default="200"):
    """A scripted message's :status and its other (non-pseudo) headers."""
    status = default
    out = []
    for k, v in headers or []:
        if k == ":status":
            status = v
        elif not k.startswith(":"):
            out.append([k, v])
    return status, out


# Envoy's HTTP/2 codec hands each DATA frame to the filters on its own, so the frames of
# a message need no pause between them; sent at once, a message is all there before a
# plugin's timer (a real 10 ms tick) can resume it, as the cases script (the body reaches
# a paused plugin buffered, in one callback).
FRAME_PACE_S = 0

# A request that never ends (a plugin holding it) is answered anyway after this long.
REQUEST_WAIT_S = 30.0


class HttpUpstream:
    """The upstream of HTTP streams (HTTP/2): answers each request, once it ended, with
    the response scripted for the pending stream it matches (by method and path, first
    come first served); what arrived is recorded as it arrives."""

    def __init__(self, run):
        self.run = run
        self.server = Server(lambda sock: h2io.serve(sock, self.on_request))

    def on_request(self, conn, stream_id, msg):
        method = header(msg.headers, ":method") or "GET"
        path = header(msg.headers, ":path") or "/"
        stream = self.run.claim_upstream(method, path)
        if stream is None:
            conn.send(stream_id, [[":status", "404"]], [], None, 0)
            return
        stream.upstream = msg.as_wire(wire)
        msg.ended.wait(REQUEST_WAIT_S)
        stream.upstream = msg.as_wire(wire)
        if msg.reset:
            return
        resp = stream.response
        status, out = split_status(resp.get("headers"))
        chunks = [data_bytes(c) for c in resp.get("body", [])]
        conn.send(stream_id, [[":status", status]] + out, chunks, resp.get("trailers"), FRAME_PACE_S)


class CalloutCluster:
    """A callout cluster (HTTP/2): answers every HTTP call with its scripted answer (after
    its delay; a reset resets the stream) and records what reached it."""

    def __init__(self, run, name, answer):
        self.run = run
        self.name = name
        self.answer = answer or {}
        self.server = Server(lambda sock: h2io.serve(sock, self.on_request))

    def on_request(self, conn, stream_id, msg):
        msg.ended.wait(REQUEST_WAIT_S)
        with self.run.lock:
            self.run.callouts.append(
                {"cluster": self.name, "kind": "http", "headers": [[k, v] for k, v in msg.headers], "body": wire(msg.body)}
            )
        a = self.answer
        if a.get("delay_ms"):
            time.sleep(a["delay_ms"] / 1000.0)
        if a.get("reset"):
            conn.reset(stream_id)
            return
        status, out = split_status(a.get("headers"))
        body = data_bytes(a.get("body"))
        conn.send(stream_id, [[":status", status]] + out, [body] if body else [], a.get("trailers") or None, 0)


class GrpcCluster:
    """A gRPC callout cluster (HTTP/2, as gRPC is): once a call or stream opened, the
    initial metadata and the messages (length-prefixed frames); once the plugin's side
    ended, the trailers (status, message, trailing metadata)."""

    def __init__(self, run, name, answer):
        self.run = run
        self.name = name
        self.grpc = answer.get("grpc") or {}
        self.server = Server(lambda sock: h2io.serve(sock, self.on_request))

    def on_request(self, conn, stream_id, msg):
        g = self.grpc
        if g.get("delay_ms"):
            time.sleep(g["delay_ms"] / 1000.0)
        conn.send_headers(stream_id, [[":status", "200"], ["content-type", "application/grpc"]] + pairs(g.get("initial_metadata")), end=False)
        for m in g.get("messages") or []:
            b = data_bytes(m)
            conn.send_data(stream_id, b"\x00" + len(b).to_bytes(4, "big") + b, end=False)
        msg.ended.wait(REQUEST_WAIT_S)
        with self.run.lock:
            self.run.callouts.append({"cluster": self.name, "kind": "grpc", "headers": [[k, v] for k, v in msg.headers], "body": wire(msg.body)})
        if msg.reset:
            return
        trailers = [["grpc-status", str(g.get("status", 0))]]
        if g.get("status_message"):
            trailers.append(["grpc-message", g["status_message"]])
        trailers += pairs(g.get("trailing_metadata"))
        try:
            conn.send_headers(stream_id, trailers, end=True)
        except Exception as e:  # the plugin cancelled: the stream is gone
            log(f"grpc {self.name}: trailers not sent: {e}")


class TcpUpstream:
    """The upstream of TCP connections: each accepted connection is handed to the
    connection step waiting for it."""

    def __init__(self):
        self.accepted = []
        self.cond = threading.Condition()
        self.server = Server(self.handle)

    def handle(self, conn):
        done = threading.Event()
        with self.cond:
            self.accepted.append((conn, done))
            self.cond.notify_all()
        done.wait()

    def take(self, timeout):
        deadline = time.time() + timeout
        with self.cond:
            while not self.accepted:
                left = deadline - time.time()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.accepted.pop(0)


# ---------------------------------------------------------------- a run


class HttpExchange:
    def __init__(self, name, request, response):
        self.name = name
        self.request = request
        self.response = response
        self.upstream = None
        self.downstream = None
        self.reset = False
        self.finished = threading.Event()
        self.client_port = None
        self.thread = None


def plugin_config(plugin, code_dir):
    vm = plugin["vm"]
    code = vm["code"]
    if "path" in code:
        source = {"local": {"filename": code["path"]}}
    else:
        digest = abs(hash(code["base64"]))
        path = os.path.join(code_dir, f"{digest:x}.wasm")
        with open(path, "wb") as f:
            f.write(base64.b64decode(code["base64"]))
        source = {"local": {"filename": path}}
    vm_config = {"vm_id": vm.get("vm_id", ""), "runtime": RUNTIME, "code": source}
    vm_conf = data_bytes(vm.get("configuration"))
    if vm_conf:
        vm_config["configuration"] = bytes_value(vm_conf)
    env = vm.get("environment") or {}
    if env:
        vm_config["environment_variables"] = {"key_values": env}
    config = {"name": plugin["name"], "root_id": plugin.get("root_id", ""), "vm_config": vm_config}
    conf = data_bytes(plugin.get("configuration"))
    if conf:
        config["configuration"] = bytes_value(conf)
    policy = (plugin.get("failure_policy") or {}).get("policy", "fail_closed")
    if policy == "fail_open":
        config["failure_policy"] = "FAIL_OPEN"
    elif policy == "fail_reload":
        fp = plugin["failure_policy"]
        config["failure_policy"] = "FAIL_RELOAD"
        config["reload_config"] = {
            "backoff": {
                "base_interval": f"{fp['base_interval_ms'] / 1000.0}s",
                "max_interval": f"{fp['max_interval_ms'] / 1000.0}s",
            }
        }
    else:
        config["failure_policy"] = "FAIL_CLOSED"
    return config


# The connection manager adds `:scheme` (HTTP/2 requires the client to send it) and
# `x-forwarded-proto` to every request before any filter runs. A case scripts the request
# its plugin sees, so the adapter's client names the ones the case did not send in
# UNADD_HEADER and this filter, first in the chain, takes them out again.
UNADD_HEADER = "x-pwconf-unadd"
UNADD_FILTER = {
    "name": "pwconf.unadd",
    "typed_config": {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua",
        # The route was chosen on the request as sent; matching again without :scheme
        # finds none.
        "clear_route_cache": False,
        "default_source_code": {
            "inline_string": f"""
function envoy_on_request(handle)
  local headers = handle:headers()
  local names = headers:get("{UNADD_HEADER}")
  if names == nil then return end
  headers:remove("{UNADD_HEADER}")
  for name in string.gmatch(names, "[^,]+") do headers:remove(name) end
end
"""
        },
    },
}
ADDED_BY_ENVOY = (":scheme", "x-forwarded-proto")
# Envoy's router finds no route for a request without x-forwarded-proto (route matching
# needs it once a plugin's header change cleared the route cache): this filter, last
# before the router, puts back the one UNADD_FILTER took out.
READD_FILTER = {
    "name": "pwconf.readd",
    "typed_config": {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua",
        "default_source_code": {
            "inline_string": """
function envoy_on_request(handle)
  local headers = handle:headers()
  if headers:get("x-forwarded-proto") == nil then headers:add("x-forwarded-proto", "http") end
end
"""
        },
    },
}


def bytes_value(b):
    try:
        return {"@type": "type.googleapis.com/google.protobuf.StringValue", "value": b.decode()}
    except UnicodeDecodeError:
        return {
            "@type": "type.googleapis.com/google.protobuf.BytesValue",
            "value": base64.b64encode(b).decode(),
        }


def cluster(name, port, http2=True):
    c = {
        "name": name,
        "type": "STATIC",
        "connect_timeout": "1s",
        "load_assignment": {
            "cluster_name": name,
            "endpoints": [
                {
                    "lb_endpoints": [
                        {"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": port}}}}
                    ]
                }
            ],
        },
    }
    opts = {"http2_protocol_options": {}} if http2 else {"http_protocol_options": {"enable_trailers": True}}
    c["typed_extension_protocol_options"] = {
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
            "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            "explicit_http_config": opts,
        }
    }
    return c


class Run:
    def __init__(self, envoy, start, base_id):
        self.envoy = envoy
        self.start_msg = start
        self.lock = threading.Lock()
        self.callouts = []
        self.http = {}
        self.tcp = {}
        self.pending_upstream = []
        self.dir = tempfile.mkdtemp(prefix="pwconf-envoy-")
        self.base_id = base_id
        self.proc = None
        self.procs = []
        self.servers = []
        self.admin = None
        self.ready_ms = 0
        self.ports = {}

    # -- matching upstream requests to streams
    def claim_upstream(self, method, path):
        with self.lock:
            for i, s in enumerate(self.pending_upstream):
                req = dict((k, v) for k, v in s.request.get("headers", []))
                if req.get(":method", "GET") == method and req.get(":path", "/") == path:
                    return self.pending_upstream.pop(i)
            return self.pending_upstream.pop(0) if self.pending_upstream else None

    def bootstrap(self):
        conf = self.start_msg["configuration"]
        callouts = self.start_msg.get("callouts") or {}
        code_dir = self.dir
        self.http_up = HttpUpstream(self)
        self.tcp_up = TcpUpstream()
        self.servers += [self.http_up.server, self.tcp_up.server]
        clusters = [cluster("pwconf_upstream", self.http_up.server.port), cluster("pwconf_tcp_upstream", self.tcp_up.server.port, http2=False)]
        names = [c["name"] for c in conf.get("clusters", [])] + list(callouts)
        for c in conf.get("clusters", []):
            if c.get("address"):
                host, _, port = c["address"].rpartition(":")
                cl = cluster(c["name"], int(port))
                cl["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"]["socket_address"]["address"] = host
                clusters.append(cl)
                names.remove(c["name"])
        listeners = []
        for name in dict.fromkeys(names):
            answer = callouts.get(name) or {}
            if answer.get("grpc") is None:
                server = CalloutCluster(self, name, answer)
                self.servers.append(server.server)
                clusters.append(cluster(name, server.server.port))
                continue
            server = GrpcCluster(self, name, answer)
            self.servers.append(server.server)
            clusters.append(cluster(name, server.server.port))
        access_log = os.path.join(self.dir, "access.log")
        self.access_log = access_log
        if conf.get("http_filters") or not conf.get("network_filters"):
            filters = [UNADD_FILTER] + [
                {
                    "name": p["name"] or "wasm",
                    "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
                        "config": plugin_config(p, code_dir),
                    },
                }
                for p in conf.get("http_filters", [])
            ]
            filters.append(READD_FILTER)
            filters.append(
                {
                    "name": "envoy.filters.http.router",
                    "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router",
                        "suppress_envoy_headers": True,
                    },
                }
            )
            hcm = {
                "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                "stat_prefix": "pwconf",
                "generate_request_id": False,
                "codec_type": "HTTP2",
                "access_log": [
                    {
                        "name": "envoy.access_loggers.file",
                        "typed_config": {
                            "@type": "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog",
                            "path": access_log,
                            "log_format": {
                                "json_format": {
                                    "client": "%DOWNSTREAM_REMOTE_PORT%",
                                    "details": "%RESPONSE_CODE_DETAILS%",
                                    "flags": "%RESPONSE_FLAGS%",
                                    "code": "%RESPONSE_CODE%",
                                }
                            },
                        },
                    }
                ],
                "route_config": {
                    "virtual_hosts": [
                        {
                            "name": "all",
                            "domains": ["*"],
                            "routes": [{"match": {"prefix": ""}, "route": {"cluster": "pwconf_upstream", "timeout": "0s"}}],
                        }
                    ]
                },
                "http_filters": filters,
            }
            listeners.append(self.listener("http", [{"name": "envoy.filters.network.http_connection_manager", "typed_config": hcm}]))
        if conf.get("network_filters"):
            filters = [
                {
                    "name": p["name"] or "wasm",
                    "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm",
                        "config": plugin_config(p, code_dir),
                    },
                }
                for p in conf["network_filters"]
            ]
            filters.append(
                {
                    "name": "envoy.filters.network.tcp_proxy",
                    "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                        "stat_prefix": "pwconf_tcp",
                        "cluster": "pwconf_tcp_upstream",
                    },
                }
            )
            listeners.append(self.listener("tcp", filters))
        boot = {
            "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}}},
            "static_resources": {"listeners": listeners, "clusters": clusters},
            "stats_flush_interval": "0.1s",
        }
        services = conf.get("services") or []
        if services:
            boot["bootstrap_extensions"] = [
                {
                    "name": "envoy.bootstrap.wasm",
                    "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.wasm.v3.WasmService",
                        "singleton": bool(s.get("singleton")),
                        "config": plugin_config(s["plugin"], code_dir),
                    },
                }
                for s in services
            ]
        return boot

    @staticmethod
    def listener(name, filters):
        return {
            "name": name,
            "address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}},
            "filter_chains": [{"filters": filters}],
        }

    def spawn_envoy(self, boot, tag, workers):
        """Starts one Envoy on `boot` and waits until it is live; its admin address."""
        path = os.path.join(self.dir, f"{tag}.json")
        with open(path, "w") as f:
            json.dump(boot, f, indent=1)
        log_path = os.path.join(self.dir, f"{tag}.log")
        admin_path = os.path.join(self.dir, f"{tag}-admin.txt")
        self.base_id += 1
        cmd = [
            self.envoy, "-c", path, "--base-id", str(self.base_id), "--concurrency", str(workers),
            "-l", os.environ.get("PWCONF_ENVOY_LEVEL", "warning"), "--component-log-level", "wasm:trace",
            "--log-format", "[%l][%n][%t][%E%e] %v", "--log-path", log_path,
            "--admin-address-path", admin_path, "--disable-hot-restart",
        ]
        err_path = os.path.join(self.dir, f"{tag}.stderr")
        with open(err_path, "wb") as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        self.procs.append(proc)
        deadline = time.time() + START_TIMEOUT_S
        while time.time() < deadline:
            if proc.poll() is not None:
                with open(err_path, errors="replace") as f:
                    raise StepError("load", self.refusal(log_path, f.read()))
            if os.path.exists(admin_path):
                addr = open(admin_path).read().strip()
                if addr:
                    try:
                        with urllib.request.urlopen(f"http://{addr}/ready", timeout=5) as r:
                            if r.read().decode(errors="replace").strip() == "LIVE":
                                return addr
                    except OSError:
                        pass
            time.sleep(0.05)
        raise StepError("internal", f"Envoy ({tag}) did not become ready in {START_TIMEOUT_S:.0f} s")

    def launch(self):
        boot = self.bootstrap()
        self.log_path = os.path.join(self.dir, "envoy.log")
        workers = max(1, int(self.start_msg.get("workers") or 1))
        self.admin = self.spawn_envoy(boot, "envoy", workers)
        self.ready_ms = int(time.time() * 1000)
        self.proc = self.procs[-1]
        listeners = json.loads(self.admin_get("/listeners?format=json"))
        for l in listeners.get("listener_statuses", []):
            self.ports[l["name"]] = l["local_address"]["socket_address"]["port_value"]

    def refusal(self, log_path, stderr):
        """Why Envoy refused the configuration: its last error lines."""
        lines = []
        try:
            with open(log_path, errors="replace") as f:
                lines = [l.strip() for l in f if "[critical]" in l or "[error]" in l]
        except OSError:
            pass
        lines += [l.strip() for l in stderr.splitlines() if l.strip()]
        return " | ".join(lines[-4:]) or "Envoy exited at start"

    def admin_get(self, path):
        with urllib.request.urlopen(f"http://{self.admin}{path}", timeout=5) as r:
            return r.read().decode(errors="replace")

    # -- steps
    def http_step(self, msg):
        ex = HttpExchange(msg["name"], msg["request"], msg.get("response") or {"headers": [[":status", "200"]]})
        if msg["request"].get("metadata") or ex.response.get("metadata"):
            raise StepError("unsupported", "HTTP/2 METADATA frames: the adapter's HTTP/2 client (h2) cannot send them")
        with self.lock:
            self.http[ex.name] = ex
            self.pending_upstream.append(ex)
        if "http" not in self.ports:
            raise StepError("step", "no HTTP listener in this configuration")
        ex.thread = threading.Thread(target=self.http_client, args=(ex,), daemon=True)
        ex.thread.start()
        ex.finished.wait(SETTLE_S * 4)

    def http_client(self, ex):
        try:
            headers = [[str(k).lower(), v] for k, v in ex.request.get("headers", [])]
            h = dict(headers)
            sent = set(h)
            # HTTP/2 wants its pseudo-headers first, and these four present.
            out = [[":method", h.get(":method", "GET")], [":scheme", h.get(":scheme", "http")],
                   [":path", h.get(":path", "/")], [":authority", h.get(":authority", "pwconf")]]
            out += [[k, v] for k, v in headers if not k.startswith(":")]
            unadd = [n for n in ADDED_BY_ENVOY if n not in sent]
            if ":authority" not in sent:
                unadd.append(":authority")
            if unadd:
                out.append([UNADD_HEADER, ",".join(unadd)])
            chunks = [data_bytes(c) for c in ex.request.get("body", [])]

            def note_port(port):
                ex.client_port = port

            resp = h2io.request(self.ports["http"], out, chunks, ex.request.get("trailers"), FRAME_PACE_S, 60, note_port)
            if resp.headers is None:
                ex.reset = True
                return
            ex.downstream = resp.as_wire(wire)
            if not resp.complete:
                ex.reset = True
        finally:
            ex.finished.set()

    def tcp_step(self, msg):
        if "tcp" not in self.ports:
            raise StepError("step", "no network filters in this configuration")
        name = msg["name"]
        client = socket.create_connection(("127.0.0.1", self.ports["tcp"]), timeout=10)
        got = {"down": b"", "up": b"", "down_eof": False, "up_eof": False}
        closed_by = None
        accepted = self.tcp_up.take(5.0)
        server, release = accepted if accepted else (None, None)

        def drain(sock, key, eof):
            # poll, not select: a long session's descriptors pass select's limit of 1024.
            if sock.fileno() < 0:
                return
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            while True:
                try:
                    ready = poller.poll(50)
                except (OSError, ValueError):
                    return
                if not ready:
                    return
                try:
                    b = sock.recv(65536)
                except OSError:
                    got[eof] = True
                    return
                if not b:
                    got[eof] = True
                    return
                got[key] += b

        def settle():
            end = time.time() + 0.3
            while time.time() < end:
                drain(client, "down", "down_eof")
                if server is not None:
                    drain(server, "up", "up_eof")

        try:
            for e in msg["events"]:
                kind = e["event"]
                if kind == "downstream":
                    client.sendall(data_bytes(e.get("data")))
                    if e.get("end"):
                        client.shutdown(socket.SHUT_WR)
                elif kind == "upstream" and server is not None:
                    server.sendall(data_bytes(e.get("data")))
                    if e.get("end"):
                        server.shutdown(socket.SHUT_WR)
                elif kind == "downstream_close":
                    closed_by = closed_by or "downstream"
                    client.close()
                elif kind == "upstream_close" and server is not None:
                    closed_by = closed_by or "upstream"
                    server.close()
                settle()
        except OSError:
            pass
        settle()
        if closed_by is None and (got["down_eof"] or (server is None)):
            closed_by = "filter"
        for s in (client, server):
            try:
                if s is not None:
                    s.close()
            except OSError:
                pass
        if release:
            release.set()
        self.tcp[name] = {
            "upstream_received": wire(got["up"]),
            "downstream_received": wire(got["down"]),
            "closed_by": closed_by,
            "finished": True,
        }

    # -- finish
    def finish(self):
        for ex in list(self.http.values()):
            if ex.thread is not None:
                ex.finished.wait(SETTLE_S)
        metrics = self.metrics()
        # Envoy writes access log lines when a stream ends; let them reach the file.
        time.sleep(0.2)
        self.stop()
        details = {}
        try:
            with open(self.access_log, errors="replace") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue
                    details[str(entry.get("client"))] = entry
        except OSError:
            pass
        http = {}
        for name, ex in self.http.items():
            entry = details.get(str(ex.client_port))
            local = None
            d = (entry or {}).get("details") or ""
            # Envoy logs the details a plugin gave its local reply (possibly none); an
            # upstream's answer is "via_upstream".
            if ex.downstream is not None and entry is not None and d != "via_upstream":
                status = int(dict(ex.downstream["headers"]).get(":status", "0") or 0)
                local = {
                    "status": status,
                    "details": d,
                    "body": ex.downstream["body"],
                    "headers": [h for h in ex.downstream["headers"] if not h[0].startswith(":")],
                }
            http[name] = {
                "upstream": ex.upstream,
                "downstream": ex.downstream,
                "local_reply": local,
                "reset": ex.reset or ("filter_reset" in d) or ex.downstream is None,
                "finished": ex.finished.is_set(),
            }
        observed = {
            "trace": self.trace(),
            "http": http,
            "tcp": self.tcp,
            "logs": self.plugin_logs(),
            "metrics": metrics,
            "start_failures": self.start_failures(),
            "callouts": self.callouts,
        }
        self.cleanup()
        return observed

    def metrics(self):
        out = []
        for kind, query in (("counter", "Counters"), ("gauge", "Gauges")):
            try:
                stats = json.loads(self.admin_get(f"/stats?format=json&type={query}&filter=%5Ewasmcustom%5C."))
            except (OSError, ValueError):
                continue
            for s in stats.get("stats", []):
                if "name" in s and "value" in s:
                    out.append({"name": s["name"][len("wasmcustom."):], "kind": kind, "value": int(s["value"])})
        # A histogram's sum is only in the Prometheus output, under a sanitized name;
        # samples reach it at the stats flush (every 100 ms, set in the bootstrap).
        try:
            stats = json.loads(self.admin_get("/stats?format=json&type=Histograms&filter=%5Ewasmcustom%5C."))
            names = [h["name"] for entry in stats.get("stats", []) for h in (entry.get("histograms") or {}).get("computed_quantiles", [])]
            if names:
                time.sleep(0.25)
                prom = self.admin_get("/stats/prometheus?histogram_buckets=cumulative")
                for name in names:
                    bare = re.sub(r"[^a-zA-Z0-9_]", "_", name[len("wasmcustom."):])
                    m = None
                    for key in (bare + "_sum", "envoy_wasmcustom_" + bare + "_sum"):
                        m = m or re.search(r"^" + re.escape(key) + r"(?:\{[^}]*\})? (\S+)$", prom, re.M)
                    if m:
                        out.append({"name": name[len("wasmcustom."):], "kind": "histogram", "value": int(float(m.group(1)))})
        except (OSError, ValueError, KeyError):
            pass
        return out

    LOG = re.compile(r"^\[(\w+)\]\[wasm\]\[\d+\]\[\d+\] wasm log(?: ([^:]*))?: (.*)$")
    # Envoy's Wasm trace (--component-log-level wasm:trace): every callback into the VM
    # and every hostcall out of it, with arguments and return values, per thread.
    TRACE = re.compile(r"^\[trace\]\[wasm\]\[(\d+)\]\[\d+\] \[(host->vm|host<-vm|vm->host|vm<-host)\] (\S+?)(?:\((.*)\)| return: (.*))$")

    def trace(self):
        """Each thread's callbacks and hostcalls, as pwconf's reference host records
        them: a callback when it is entered (its result once it returns), a hostcall when
        it returns (i32 arguments unsigned, i64 signed), its status by name."""
        try:
            with open(self.log_path, errors="replace") as f:
                text = f.read()
        except OSError:
            return []
        threads = {}
        open_callbacks = {}
        open_hostcalls = {}
        for line in text.splitlines():
            m = self.TRACE.match(line)
            if not m:
                continue
            tid, arrow, name, args, ret = m.groups()
            events = threads.setdefault(tid, [])
            if arrow == "host->vm" and args is not None:
                event = {"kind": "callback", "name": name, "args": parse_args(args), "result": None}
                events.append(event)
                open_callbacks.setdefault(tid, []).append(event)
            elif arrow == "host<-vm" and ret is not None:
                stack = open_callbacks.get(tid) or []
                if stack and stack[-1]["name"] == name:
                    event = stack.pop()
                    if ret.strip() != "void":
                        event["result"] = to_signed32(ret.strip())
            elif arrow == "vm->host" and args is not None:
                open_hostcalls.setdefault(tid, []).append((name, parse_args(args)))
            elif arrow == "vm<-host" and ret is not None:
                stack = open_hostcalls.get(tid) or []
                if stack and stack[-1][0] == name:
                    called, values = stack.pop()
                    module, _, short = called.partition(".")
                    events.append({
                        "kind": "hostcall", "name": short or module, "args": values,
                        "status": status_name(module, ret.strip()),
                    })
        return [{"thread": f"thread-{tid}", "events": events} for tid, events in threads.items()]

    def plugin_logs(self):
        """The plugins' log lines; a message's own newlines continue it on the lines after,
        which do not start like an Envoy log line."""
        levels = {"warning": "warn"}
        logs = []
        try:
            with open(self.log_path, errors="replace") as f:
                text = f.read()
        except OSError:
            return logs
        current = None
        for line in text.split("\n"):
            m = self.LOG.match(line)
            if m:
                level = levels.get(m.group(1), m.group(1))
                plugin = (m.group(2) or "").split(" ")[0]
                current = {"level": level, "message": m.group(3), "plugin": plugin}
                logs.append(current)
            elif self.STAMP.match(line):
                current = None
            elif current is not None:
                current["message"] += "\n" + line
        # The file ends with a newline: the last line's empty remainder is no message text.
        if current is not None and current["message"].endswith("\n"):
            current["message"] = current["message"][:-1]
        return logs

    # Envoy's log lines carry the time in epoch milliseconds: "[level][logger][thread][ms] ".
    STAMP = re.compile(r"^\[(\w+)\]\[(\w+)\]\[\d+\]\[(\d+)\] (.*)$")

    def start_failures(self):
        """Envoy's Wasm errors logged before it was ready: a plugin that did not start.
        (A trap while serving is logged the same way, later; it is no start failure.)"""
        failures = []
        try:
            with open(self.log_path, errors="replace") as f:
                for line in f:
                    m = self.STAMP.match(line.rstrip("\n"))
                    if not m or m.group(2) != "wasm" or m.group(1) not in ("error", "critical"):
                        continue
                    if int(m.group(3)) <= self.ready_ms and "failed" in m.group(4).lower():
                        failures.append({"plugin": "", "thread": "", "error": m.group(4).strip()})
        except OSError:
            pass
        return failures

    def cleanup(self):
        """Removes the run's folder (bootstrap, logs, modules) unless PWCONF_KEEP is set."""
        if not os.environ.get("PWCONF_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def stop(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for s in self.servers:
            s.close()


# ---------------------------------------------------------------- the session


def envoy_version(envoy):
    try:
        out = subprocess.run([envoy, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    m = re.search(r"/(\d+\.\d+\.\d+)/", out)
    return m.group(1) if m else "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--envoy", required=True, help="the envoy binary")
    args = ap.parse_args()
    out = sys.stdout
    base_id = 1000 + os.getpid() % 50000
    run = None

    def reply(msg):
        out.write(json.dumps(msg) + "\n")
        out.flush()

    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
            kind = msg.get("type")
            if kind == "hello":
                reply({
                    "type": "hello", "protocol": PROTOCOL_VERSION, "host": "envoy",
                    "version": envoy_version(args.envoy), "abi": ["0.1.0", "0.2.0", "0.2.1"],
                    "observations": ["effects", "trace"], "runtimes": [RUNTIME], "clocks": ["real"],
                })
            elif kind == "start":
                if run is not None:
                    run.stop()
                    run.cleanup()
                base_id += 10
                run = Run(args.envoy, msg, base_id)
                try:
                    run.launch()
                except StepError:
                    run.stop()
                    run.cleanup()
                    run = None
                    raise
                reply({"type": "started"})
            elif kind == "quit":
                break
            elif run is None:
                raise StepError("step", f"{kind} before start")
            elif kind == "http":
                run.http_step(msg)
                reply({"type": "done"})
            elif kind == "tcp":
                run.tcp_step(msg)
                reply({"type": "done"})
            elif kind == "advance":
                time.sleep(int(msg.get("millis", 0)) / 1000.0)
                reply({"type": "done"})
            elif kind == "reconfigure":
                raise StepError("unsupported", "reconfiguring a plugin needs xDS, which this adapter does not serve yet")
            elif kind == "foreign_function":
                raise StepError("unsupported", "Envoy offers no way to call proxy_on_foreign_function from outside")
            elif kind == "finish":
                observed = run.finish()
                run = None
                reply({"type": "observations", **observed})
            else:
                raise StepError("protocol", f"unknown message type {kind!r}")
        except StepError as e:
            reply({"type": "error", "kind": e.kind, "message": e.message})
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            reply({"type": "error", "kind": "protocol", "message": f"{type(e).__name__}: {e}"})
        except OSError as e:
            reply({"type": "error", "kind": "internal", "message": f"{type(e).__name__}: {e}"})
    if run is not None:
        run.stop()
        run.cleanup()


if __name__ == "__main__":
    main()
