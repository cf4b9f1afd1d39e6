"""`muster exchange pull --producer NAME --url URL --ca CA.pem --cert CLIENT.pem --key CLIENT.key
[--max N]`: pull, verify and apply the producer's change feed after the stored cursor.

Each option falls back to MUSTER_POPREG_PRODUCER / _URL / _CA / _CERT / _KEY. Exit code 0 when
caught up (or --max reached), 1 when the pull stopped at an event it must not pass (a bad
signature or a gap), 2 when the options or the connection fail.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from config.env import popreg_client
from muster.exchange.adapter import HttpsMtlsTransport, TransportError
from muster.exchange.feed import describe, feed_pull

HELP = "Pull the producer's change feed over HTTPS with mutual TLS and apply it in order."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = popreg_client()
    parser.add_argument("--producer", default=env.producer, help="producer name (as trusted)")
    parser.add_argument("--url", default=env.url, help="feed base URL, https://HOST:PORT")
    parser.add_argument(
        "--ca", default=env.ca, help="CA certificate (PEM) the server must chain to"
    )
    parser.add_argument("--cert", default=env.cert, help="Muster's client certificate (PEM)")
    parser.add_argument("--key", default=env.key, help="the client certificate's key (PEM)")
    parser.add_argument("--max", type=int, dest="max_events", help="at most N events this run")


def handle(options: dict[str, Any], out: TextIO) -> int:
    missing = [
        f"--{name} (or MUSTER_POPREG_{name.upper()})"
        for name in ("producer", "url", "ca", "cert", "key")
        if not options.get(name)
    ]
    if missing:
        out.write(f"missing: {', '.join(missing)}\n")
        return 2
    try:
        transport = HttpsMtlsTransport(
            options["url"], ca=Path(options["ca"]), cert=Path(options["cert"]),
            key=Path(options["key"]),
        )  # fmt: skip
        result = feed_pull(
            producer=options["producer"], transport=transport, max_events=options["max_events"]
        )
    except TransportError as exc:
        out.write(f"feed: {exc}\n")
        return 2
    out.write(describe(result) + "\n")
    return 1 if result.stopped else 0
