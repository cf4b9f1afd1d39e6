"""The sandbox feed over HTTPS with mutual TLS (http.server + ssl), as docs/exchange.md defines.

    GET  /feed/events?after=N&limit=M   → {"producer", "events": [signed…], "last_sequence"}
    GET  /feed/status                   → {"producer", "province", "clock", "last_sequence"}
    POST /sandbox/simulate?days=D       → runs D more simulated days (sandbox only)

Every connection must present a client certificate signed by the sandbox CA (CERT_REQUIRED);
a handshake without one fails before any HTTP is read.
"""

from __future__ import annotations

import json
import signal
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

from sandbox.popreg.register import Register, SandboxError, settings_summary
from sandbox.popreg.simulate import simulate_days

DEFAULT_LIMIT = 500
MAX_LIMIT = 5000


class BadRequest(Exception):
    """A parameter is missing or malformed; answered with HTTP 400 naming it."""


def server_tls_context(register: Register) -> ssl.SSLContext:
    """TLS 1.2+, the sandbox's server certificate, client certificates from its CA required."""
    paths = register.paths
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile=str(paths.server_cert), keyfile=str(paths.server_key))
    context.load_verify_locations(cafile=str(paths.ca))
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def _int_param(query: dict[str, list[str]], name: str, default: int | None) -> int:
    values = query.get(name)
    if not values:
        if default is None:
            raise BadRequest(f"{name}: required")
        return default
    try:
        value = int(values[0])
    except ValueError as exc:
        raise BadRequest(f"{name}: must be an integer, got {values[0]!r}") from exc
    if value < 0:
        raise BadRequest(f"{name}: must not be negative")
    return value


class FeedServer(ThreadingHTTPServer):
    """Accepts TCP, then performs the TLS handshake in the request's own thread, so a client
    that connects and never speaks cannot stall the accept loop."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], register: Register, log: TextIO) -> None:
        self.register = register
        self.tls = server_tls_context(register)
        self.log = log
        self.simulate_lock = threading.Lock()
        super().__init__(address, FeedHandler)

    def get_request(self) -> tuple[Any, Any]:
        sock, address = self.socket.accept()
        wrapped = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return wrapped, address

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(30)
        try:
            request.do_handshake()
        except (ssl.SSLError, OSError) as exc:
            self.log.write(f"refused {client_address[0]}: TLS handshake failed ({exc})\n")
            self.log.flush()
            return
        super().finish_request(request, client_address)


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.1"

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, json.dumps({"error": message}, ensure_ascii=False).encode())

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        register = self.server.register
        try:
            if url.path == "/feed/events":
                after = _int_param(query, "after", 0)
                limit = min(_int_param(query, "limit", DEFAULT_LIMIT), MAX_LIMIT)
                last = register.last_sequence()
                # The stored bodies are canonical JSON already: joined, not re-encoded.
                events = ",".join(register.events_after(after, limit))
                producer = json.dumps(register.producer, ensure_ascii=False)
                body = f'{{"producer":{producer},"events":[{events}],"last_sequence":{last}}}'
                self._send(200, body.encode())
            elif url.path == "/feed/status":
                self._send(200, settings_summary(register).encode())
            else:
                self._error(404, f"no such resource {url.path}")
        except BadRequest as exc:
            self._error(400, str(exc))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sandbox/simulate":
            self._error(404, f"no such resource {url.path}")
            return
        try:
            days = _int_param(parse_qs(url.query), "days", None)
            with self.server.simulate_lock:
                result = simulate_days(self.server.register, days)
        except (BadRequest, SandboxError) as exc:
            self._error(400, str(exc))
            return
        body = {
            "events": result.events,
            "by_type": result.by_type,
            "clock": result.clock.isoformat(),
            "last_sequence": result.last_sequence,
        }
        self._send(200, json.dumps(body, ensure_ascii=False).encode())

    def log_message(self, format: str, *args: Any) -> None:
        self.server.log.write(f"{self.address_string()} {format % args}\n")
        self.server.log.flush()


def serve(register: Register, *, host: str, port: int, out: TextIO = sys.stdout) -> None:
    """Serve until SIGTERM or Ctrl-C; prints one 'listening' line when ready to accept."""
    try:
        server = FeedServer((host, port), register, log=sys.stderr)
    except OSError as exc:
        raise SandboxError(f"--port: cannot listen on {host}:{port}: {exc}") from exc

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    out.write(
        f"popreg listening on https://{host}:{server.server_address[1]} "
        f"(producer {register.producer}, last sequence {register.last_sequence()}, "
        f"data {register.paths.root})\n"
    )
    out.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        out.write("popreg stopped\n")
        out.flush()
