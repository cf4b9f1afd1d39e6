"""Serving the web app: a threaded WSGI server (waitress) that needs no other process."""

from __future__ import annotations

import socket

from django.core.management import call_command


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def serve(*, host: str, port: int, threads: int = 8) -> None:
    """Apply pending migrations, then serve until interrupted."""
    from waitress import serve as waitress_serve

    from config.wsgi import application

    call_command("migrate", verbosity=0, interactive=False)
    if not port_is_free(host, port):
        raise SystemExit(f"port {port} on {host} is in use: pick another with --port")
    waitress_serve(application, host=host, port=port, threads=threads, ident="muster", _quiet=True)
