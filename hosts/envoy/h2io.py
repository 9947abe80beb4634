"""HTTP/2 (cleartext, prior knowledge) on both sides of Envoy, with the `h2` package.

Why HTTP/2 and not HTTP/1.1: over HTTP/1.1 Envoy's codec ends every body with an extra,
empty end-of-stream data frame (a plugin sees `on_request_body(n, 0)` then `(0, 1)`, where
a case scripts one chunk that ends the stream), and the framing adds `content-length` or
`transfer-encoding` to the maps the plugin sees. Over HTTP/2 each scripted chunk is one
DATA frame, the last one carries END_STREAM, trailers are a HEADERS frame, and no framing
header is added: the plugin sees the exchange the case describes.
"""

import socket
import threading
import time

import h2.config
import h2.connection
import h2.events
import h2.exceptions

# Outbound headers go as the case wrote them (lowercased: HTTP/2 requires it); inbound
# ones are recorded as they came, so nothing is rejected or rewritten on either side.
_LENIENT = dict(
    header_encoding="utf-8",
    validate_outbound_headers=False,
    normalize_outbound_headers=False,
    validate_inbound_headers=False,
    normalize_inbound_headers=False,
)


def _lower(headers):
    return [(str(k).lower(), str(v)) for k, v in headers]


def _pairs(headers):
    return [[k, v] for k, v in headers]


class Message:
    """One side of an exchange as it arrived: headers, body, trailers, whether it ended."""

    def __init__(self):
        self.headers = None
        self.body = b""
        self.trailers = None
        self.complete = False
        self.reset = False

    def as_wire(self, wire):
        return {
            "headers": _pairs(self.headers or []),
            "body": wire(self.body),
            "trailers": _pairs(self.trailers) if self.trailers is not None else None,
            "complete": self.complete,
        }


class Conn:
    """An HTTP/2 connection on a socket; every write goes through one lock, so streams
    answered from several threads do not interleave their frames."""

    def __init__(self, sock, client_side):
        self.sock = sock
        self.h2 = h2.connection.H2Connection(
            config=h2.config.H2Configuration(client_side=client_side, **_LENIENT)
        )
        self.lock = threading.Lock()
        with self.lock:
            self.h2.initiate_connection()
            self.flush()

    def flush(self):
        data = self.h2.data_to_send()
        if data:
            self.sock.sendall(data)

    def send(self, stream_id, headers, chunks, trailers, pace):
        """Headers, then each chunk as its own DATA frame (`pace` seconds apart), then
        trailers; END_STREAM on the last frame."""
        chunks = list(chunks)
        self.send_headers(stream_id, headers, end=not chunks and trailers is None)
        for i, c in enumerate(chunks):
            if pace:
                time.sleep(pace)
            self.send_data(stream_id, c, end=i == len(chunks) - 1 and trailers is None)
        if trailers is not None:
            if pace:
                time.sleep(pace)
            self.send_headers(stream_id, trailers, end=True)

    def send_headers(self, stream_id, headers, end):
        with self.lock:
            self.h2.send_headers(stream_id, _lower(headers), end_stream=end)
            self.flush()

    def send_data(self, stream_id, data, end):
        with self.lock:
            self._send_data(stream_id, data, end)
            self.flush()

    def _send_data(self, stream_id, data, end):
        # Bodies here are small; a window that is short is waited out by the reader
        # thread's WINDOW_UPDATE handling (the caller retries after it).
        while len(data) > self.h2.local_flow_control_window(stream_id):
            self.lock.release()
            time.sleep(0.01)
            self.lock.acquire()
        self.h2.send_data(stream_id, data, end_stream=end)

    def reset(self, stream_id):
        with self.lock:
            try:
                self.h2.reset_stream(stream_id)
                self.flush()
            except h2.exceptions.ProtocolError:
                pass

    def receive(self):
        """The events of the next read; None at end of connection."""
        data = self.sock.recv(65536)
        if not data:
            return None
        with self.lock:
            try:
                events = self.h2.receive_data(data)
            except h2.exceptions.ProtocolError:
                return None
            for e in events:
                if isinstance(e, h2.events.DataReceived):
                    self.h2.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
            self.flush()
        return events


def serve(sock, on_request):
    """The server side of one connection: `on_request(conn, stream_id, message)` runs on a
    thread of its own once a request's headers arrived; `message` fills in as the rest
    arrives (its `ended` event is set at END_STREAM or reset)."""
    conn = Conn(sock, client_side=False)
    streams = {}
    while True:
        try:
            events = conn.receive()
        except OSError:
            events = None
        if events is None:
            for m in streams.values():
                m.reset = not m.complete
                m.ended.set()
            return
        for e in events:
            if isinstance(e, h2.events.RequestReceived):
                m = Message()
                m.ended = threading.Event()
                m.headers = list(e.headers)
                streams[e.stream_id] = m
                if e.stream_ended is not None:
                    m.complete = True
                    m.ended.set()
                threading.Thread(target=on_request, args=(conn, e.stream_id, m), daemon=True).start()
            elif isinstance(e, h2.events.DataReceived) and e.stream_id in streams:
                streams[e.stream_id].body += e.data
            elif isinstance(e, h2.events.TrailersReceived) and e.stream_id in streams:
                streams[e.stream_id].trailers = list(e.headers)
            elif isinstance(e, h2.events.StreamEnded) and e.stream_id in streams:
                streams[e.stream_id].complete = True
                streams[e.stream_id].ended.set()
            elif isinstance(e, h2.events.StreamReset) and e.stream_id in streams:
                streams[e.stream_id].reset = True
                streams[e.stream_id].ended.set()


def request(port, headers, chunks, trailers, pace, timeout, on_port=None):
    """One request on a connection of its own to 127.0.0.1:`port`; the response as a
    Message (reset when the stream or connection was reset before it completed)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if on_port is not None:
        on_port(sock.getsockname()[1])
    resp = Message()
    try:
        conn = Conn(sock, client_side=True)
        stream_id = conn.h2.get_next_available_stream_id()
        sender = threading.Thread(
            target=_send_quietly, args=(conn, stream_id, headers, chunks, trailers, pace), daemon=True
        )
        sender.start()
        while not resp.complete and not resp.reset:
            events = conn.receive()
            if events is None:
                resp.reset = True
                break
            for e in events:
                if getattr(e, "stream_id", stream_id) != stream_id:
                    continue
                if isinstance(e, h2.events.ResponseReceived):
                    resp.headers = list(e.headers)
                elif isinstance(e, h2.events.InformationalResponseReceived):
                    continue
                elif isinstance(e, h2.events.DataReceived):
                    resp.body += e.data
                elif isinstance(e, h2.events.TrailersReceived):
                    resp.trailers = list(e.headers)
                elif isinstance(e, h2.events.StreamEnded):
                    resp.complete = True
                elif isinstance(e, (h2.events.StreamReset, h2.events.ConnectionTerminated)):
                    resp.reset = True
    except (OSError, h2.exceptions.ProtocolError):
        resp.reset = True
    finally:
        try:
            sock.close()
        except OSError:
            pass
    return resp


def _send_quietly(conn, stream_id, headers, chunks, trailers, pace):
    # The response may end the stream (a local reply) while the request is still going.
    try:
        conn.send(stream_id, headers, chunks, trailers, pace)
    except (OSError, h2.exceptions.ProtocolError, h2.exceptions.StreamClosedError):
        pass
