"""Serving the web app: waitress (threaded WSGI) in one or more pre-forked processes.

One Python process runs one core at a time (the GIL); `processes > 1` forks workers that share
the listening socket, so a multi-core server uses every core. No other software is needed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _listen(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise SystemExit(f"port {port} on {host} is in use: pick another with --port") from exc
    sock.listen(1024)
    return sock


def proxy_options() -> dict[str, Any]:
    """Waitress options for the reverse proxy named by MUSTER_TRUSTED_PROXY (production).

    From that address only, waitress takes the scheme from X-Forwarded-Proto and the client's
    address from the last hop of X-Forwarded-For (what the login lockout counts); from anyone
    else it drops such headers, so no client can claim HTTPS or another address.
    """
    proxy = settings.MUSTER_TRUSTED_PROXY
    if not proxy:
        return {}
    return {
        "trusted_proxy": proxy,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
        "clear_untrusted_proxy_headers": True,
    }


def _run_worker(sock: socket.socket, threads: int) -> None:
    from waitress import serve as waitress_serve

    from config.wsgi import application

    # Requests mostly wait on the database; a short GIL switch interval lets a thread whose
    # query returned resume sooner instead of queueing behind a busy one (CPython's default 5 ms).
    sys.setswitchinterval(0.0005)
    waitress_serve(
        application,
        sockets=[sock],
        threads=threads,
        ident="muster",
        _quiet=True,
        **proxy_options(),
    )


def serve(
    *, host: str, port: int, threads: int = 8, processes: int = 1, worker: bool = False
) -> None:
    """Apply pending migrations, then serve until interrupted; with `worker`, the background
    tasks' worker (django-tasks' `db_worker`: the readiness refresh) runs beside, as a child
    process stopped with the server (a deployment runs it as its own service instead)."""
    call_command("migrate", verbosity=0, interactive=False)
    sock = _listen(host, port)
    tasks = (
        subprocess.Popen([sys.executable, "-m", "muster.cli", "db_worker"], env=dict(os.environ))
        if worker
        else None
    )
    try:
        _serve_on(sock, threads, processes)
    finally:
        if tasks is not None:
            tasks.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                tasks.wait(timeout=10)


def _serve_on(sock: socket.socket, threads: int, processes: int) -> None:
    if processes <= 1:
        _run_worker(sock, threads)
        return
    connections.close_all()  # children must open their own database connections
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            _run_worker(sock, threads)
            os._exit(0)
        children.append(pid)

    def stop(*_: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    def stop_and_exit(*_: object) -> None:
        stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop_and_exit)
    try:
        for child in children:
            os.waitpid(child, 0)
    finally:
        stop()
