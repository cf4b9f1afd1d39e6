"""The transport of the change feed: the one module that knows how pages of events travel.

`feed.feed_pull` sees only the `FeedTransport` protocol. Today the population-register sandbox
(and the protocol of docs/exchange.md) is HTTPS with mutual TLS, implemented here with the
standard library; moving to the national data-exchange platform means one more class with a
`fetch` method, and nothing else changes.

Wire form of a page (`GET {base}/feed/events?after=N&limit=M`):

    {"producer": NAME, "events": [SIGNED EVENT, ...], "last_sequence": K}

`events` are the producer's events with sequence > N in ascending order (at most M of them);
`last_sequence` is the producer's newest sequence, so a client knows whether more remain.
"""

from __future__ import annotations

import http.client
import json
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

# Pages larger than this are refused: a misbehaving server must not exhaust memory.
MAX_PAGE_BYTES = 64 * 1024 * 1024


class TransportError(Exception):
    """The page could not be fetched or is not a page of the protocol; the message says why."""


@dataclass(frozen=True)
class FeedPage:
    """One page of the feed as received: events are still signed and not yet verified."""

    producer: str
    events: tuple[dict[str, Any], ...]
    last_sequence: int


class FeedTransport(Protocol):
    """Fetches the producer's events with sequence > `after`, at most `limit` of them."""

    def fetch(self, after: int, limit: int) -> FeedPage: ...


def parse_page(body: bytes) -> FeedPage:
    """A FeedPage from the JSON body of a response; TransportError names what is wrong."""
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TransportError(f"feed page is not UTF-8 JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise TransportError("feed page must be a JSON object")
    producer, events, last = obj.get("producer"), obj.get("events"), obj.get("last_sequence")
    if not isinstance(producer, str) or not producer:
        raise TransportError("feed page: 'producer' must be a non-empty string")
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise TransportError("feed page: 'events' must be a list of JSON objects")
    if not isinstance(last, int) or isinstance(last, bool) or last < 0:
        raise TransportError("feed page: 'last_sequence' must be a non-negative integer")
    return FeedPage(producer, tuple(events), last)


def client_tls_context(*, ca: Path, cert: Path, key: Path) -> ssl.SSLContext:
    """TLS 1.2+ client context that trusts only `ca` and presents `cert`/`key` (mutual TLS)."""
    for label, path in (("ca", ca), ("cert", cert), ("key", key)):
        if not Path(path).is_file():
            raise TransportError(f"{label}: no such file {path}")
    # Only the given CA: the register's server is not a public web site, and trusting the
    # system store would let any public CA vouch for it.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_verify_locations(cafile=str(ca))
        context.load_cert_chain(certfile=str(cert), keyfile=str(key))
    except (ssl.SSLError, OSError) as exc:
        raise TransportError(f"cannot load TLS files (ca {ca}, cert {cert}): {exc}") from exc
    return context  # PROTOCOL_TLS_CLIENT verifies the certificate and the host name


class HttpsMtlsTransport:
    """The feed over HTTPS with mutual TLS (stdlib `http.client` + `ssl`)."""

    def __init__(self, url: str, *, ca: Path, cert: Path, key: Path, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise TransportError(f"url must be https://HOST[:PORT][/PATH], got {url!r}")
        self.url = url
        self.host = parts.hostname
        self.port = parts.port or 443
        self.base_path = parts.path.rstrip("/")
        self.timeout = timeout
        self.context = client_tls_context(ca=ca, cert=cert, key=key)

    def fetch(self, after: int, limit: int) -> FeedPage:
        query = urlencode({"after": after, "limit": limit})
        path = f"{self.base_path}/feed/events?{query}"
        connection = http.client.HTTPSConnection(
            self.host, self.port, context=self.context, timeout=self.timeout
        )
        try:
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
            body = response.read(MAX_PAGE_BYTES + 1)
        except ssl.SSLCertVerificationError as exc:
            raise TransportError(
                f"server certificate of {self.host}:{self.port} not trusted: {exc.verify_message}"
            ) from exc
        except (ssl.SSLError, OSError, http.client.HTTPException) as exc:
            raise TransportError(f"cannot fetch {self.url}{path}: {exc}") from exc
        finally:
            connection.close()
        if len(body) > MAX_PAGE_BYTES:
            raise TransportError(f"feed page larger than {MAX_PAGE_BYTES} bytes")
        if response.status != 200:
            text = body[:500].decode("utf-8", "replace")
            raise TransportError(f"feed answered HTTP {response.status}: {text}")
        return parse_page(body)
