"""The population-register sandbox as a real separate process, and Muster pulling from it.

The sandbox runs as `muster sandbox popreg …` in a subprocess on 127.0.0.1 and a free port;
Muster's side talks to it over mutual TLS exactly as it would to the register.
"""

from __future__ import annotations

import http.client
import io
import queue
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command

from muster.exchange import manifest, signing
from muster.exchange.actions import producer_key_trust
from muster.exchange.adapter import HttpsMtlsTransport, TransportError
from muster.exchange.feed import feed_pull
from muster.exchange.message_log import first_broken_message
from muster.exchange.models import FeedCursor, ReceivedMessage
from muster.exchange.tests.feed_support import RecordingApplier
from muster.people.extract_format import EXTRACT_COLUMNS
from sandbox.popreg import pki
from sandbox.popreg.register import Register

MUSTER = str(Path(sys.executable).with_name("muster"))
START = date.today() - timedelta(days=200)
SIMULATED_DAYS = 150


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [MUSTER, "sandbox", "popreg", *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Sandbox:
    data: Path
    url: str
    port: int
    stderr: list[str]

    @property
    def register(self) -> Register:
        return Register(self.data)

    def transport(self, **files: Path) -> HttpsMtlsTransport:
        paths = self.register.paths
        chosen = {
            "ca": paths.ca,
            "cert": paths.client_cert,
            "key": paths.client_key,
            **files,
        }
        return HttpsMtlsTransport(self.url, timeout=10, **chosen)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("popreg")
    out = _run(
        "--data", str(data), "--people", "3000", "--seed", "7", "--start", START.isoformat(),
        "--simulate-days", str(SIMULATED_DAYS),
    )  # fmt: skip
    assert "initialising" in out.stdout
    assert f"simulated {SIMULATED_DAYS} day(s)" in out.stdout
    return data


@pytest.fixture(scope="module")
def sandbox(data_dir: Path) -> Iterator[Sandbox]:
    port = _free_port()
    process = subprocess.Popen(
        [MUSTER, "sandbox", "popreg", "--data", str(data_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    stderr: list[str] = []

    def pump() -> None:
        for line in process.stdout or ():
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    threading.Thread(target=lambda: stderr.extend(process.stderr), daemon=True).start()  # type: ignore[arg-type]
    try:
        first = lines.get(timeout=60)
    except queue.Empty:
        process.kill()
        pytest.fail(f"the sandbox did not start: {''.join(stderr)}")
    assert first.startswith(f"popreg listening on https://127.0.0.1:{port}"), first
    yield Sandbox(data_dir, f"https://127.0.0.1:{port}", port, stderr)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0, "".join(stderr)
    assert lines.get(timeout=5).strip() == "popreg stopped"


@pytest.fixture
def trusted(data_dir: Path) -> None:
    pem = (data_dir / "producer.pub.pem").read_bytes()
    producer_key_trust(pem=pem, producer="popreg", acting_user=None)


def _known_people(data_dir: Path) -> set[str]:
    return set(Register(data_dir).people_frame()["personal_id"].to_list())


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_extract_and_manifest_verify_with_the_sandbox_key(data_dir, tmp_path, suffix):
    out = tmp_path / f"extract{suffix}"
    done = _run("--data", str(data_dir), "--write-extract", str(out))
    assert f"wrote {out}" in done.stdout
    parsed = manifest.read_manifest(manifest.manifest_path_for(out))
    pem = (data_dir / "producer.pub.pem").read_bytes()
    assert manifest.verify_signature(parsed, [pem]) == signing.fingerprint(
        signing.load_public_key(pem)
    )
    entry = manifest.entry_for(parsed, out)
    manifest.verify_hash(entry, out)
    frame = pl.read_csv(out, infer_schema=False) if suffix == ".csv" else pl.read_parquet(out)
    assert tuple(frame.columns) == EXTRACT_COLUMNS
    assert entry.rows == frame.height > 3000  # births outnumber deaths over the simulated days
    assert parsed.producer == "popreg"
    dead = frame.filter(pl.col("life_status") == "dead")
    assert dead.height > 0
    assert dead["died_on"].null_count() == 0


@pytest.mark.django_db
def test_pull_over_mutual_tls_applies_every_event_in_order_and_resumes(sandbox, trusted):
    last = sandbox.register.last_sequence()
    assert last > 20
    applier = RecordingApplier(_known_people(sandbox.data))
    first = feed_pull(
        producer="popreg", transport=sandbox.transport(), applier=applier, max_events=10,
        page_size=4,
    )  # fmt: skip
    assert (first.applied, first.cursor, first.producer_last_sequence) == (10, 10, last)
    rest = feed_pull(producer="popreg", transport=sandbox.transport(), applier=applier, page_size=7)
    assert (rest.applied, rest.rejected, rest.stopped) == (last - 10, 0, "")
    assert applier.applied == list(range(1, last + 1))
    assert FeedCursor.objects.get(producer="popreg").last_sequence == last
    assert ReceivedMessage.objects.filter(outcome="applied").count() == last
    assert first_broken_message() is None


@pytest.mark.django_db
def test_pull_command_prints_counts_and_the_new_cursor(sandbox, trusted, monkeypatch):
    applier = RecordingApplier(_known_people(sandbox.data))
    monkeypatch.setattr("muster.exchange.feed.apply_event", applier)
    paths = sandbox.register.paths
    monkeypatch.setenv("MUSTER_POPREG_URL", sandbox.url)  # read when the parser is built
    out = io.StringIO()
    call_command(
        "exchange", "pull", "--producer", "popreg", "--ca", str(paths.ca),
        "--cert", str(paths.client_cert), "--key", str(paths.client_key), "--max", "5",
        stdout=out,
    )  # fmt: skip
    last = sandbox.register.last_sequence()
    assert out.getvalue().strip() == (
        f"pulled popreg: applied 5, duplicate 0, rejected 0; cursor 5 of {last}"
    )


def test_a_client_without_a_certificate_is_refused(sandbox):
    context = ssl.create_default_context(cafile=str(sandbox.register.paths.ca))
    connection = http.client.HTTPSConnection("127.0.0.1", sandbox.port, context=context, timeout=10)

    def fetch() -> bytes:
        connection.request("GET", "/feed/events?after=0&limit=1")
        return connection.getresponse().read()

    # TLS 1.3 reports the server's refusal on the first read, TLS 1.2 in the handshake.
    with pytest.raises((ssl.SSLError, ConnectionError, http.client.RemoteDisconnected)):
        fetch()
    connection.close()
    # The server logs the refusal after sending its alert: give the log a moment to arrive.
    deadline = time.monotonic() + 10
    while not any("TLS handshake failed" in line for line in sandbox.stderr):
        assert time.monotonic() < deadline, "the sandbox did not log the refused handshake"
        time.sleep(0.05)


def test_a_client_certificate_from_another_ca_is_refused(sandbox, tmp_path):
    other = pki.issue_client(pki.make_ca("Another CA"), "intruder")
    other.write(tmp_path / "intruder.pem", tmp_path / "intruder.key")
    transport = sandbox.transport(cert=tmp_path / "intruder.pem", key=tmp_path / "intruder.key")
    with pytest.raises(TransportError, match="cannot fetch"):
        transport.fetch(after=0, limit=1)


def test_a_server_muster_does_not_trust_is_refused(sandbox, tmp_path):
    (tmp_path / "other-ca.pem").write_bytes(
        pki.make_ca("Not the register").cert.public_bytes(serialization.Encoding.PEM)
    )
    transport = sandbox.transport(ca=tmp_path / "other-ca.pem")
    with pytest.raises(TransportError, match=r"server certificate of 127\.0\.0\.1:\d+ not trusted"):
        transport.fetch(after=0, limit=1)


def test_the_feed_answers_bad_parameters_with_400_naming_them(sandbox):
    transport = sandbox.transport()
    connection = http.client.HTTPSConnection(
        "127.0.0.1", sandbox.port, context=transport.context, timeout=10
    )
    connection.request("GET", "/feed/events?after=x")
    response = connection.getresponse()
    assert response.status == 400
    assert b"after: must be an integer" in response.read()
    connection.close()
