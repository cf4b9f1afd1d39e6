"""The browser tests' shared demo: one small demo database built with the CLI and served by a
real `muster serve` on a free port of 127.0.0.1, for the whole session (every browser test walks
the same demo; building it once keeps the suite's time down)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = os.environ.get("MUSTER_BROWSER_DEMO_PASSWORD", "demo-browser-pw")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _muster(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "muster.cli", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if os.environ.get("MUSTER_BROWSER_DEMO_DB"):
        # A demo already built (e.g. the 100,000-person one) under this environment's keys and
        # with the password PASSWORD: the tests walk it instead of building a small one.
        db = Path(os.environ["MUSTER_BROWSER_DEMO_DB"])
        # Served as built: under the site's settings (its password hashers), not the tests'.
        env.pop("DJANGO_SETTINGS_MODULE", None)
    else:
        workdir = tmp_path_factory.mktemp("demo")
        db = workdir / "demo.sqlite3"
        env["MUSTER_VAR_DIR"] = str(workdir)
        built = _muster(
            "demo",
            "--people",
            "4000",
            "--no-serve",
            "--db",
            str(db),
            "--password",
            PASSWORD,
            "--seed",
            "7",
            env=env,
        )
        assert built.returncode == 0, built.stderr[-3000:]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "muster.cli", "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("server did not start: " + server.stderr.read().decode()[-2000:])
            time.sleep(0.3)
    try:
        yield base, db
    finally:
        server.terminate()
        server.wait(timeout=10)
