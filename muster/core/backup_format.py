"""The encrypted backup file (`muster backup`, `muster restore`; docs/backup.md).

    header   b"MUSTERBK" · version (1 byte) · nonce prefix (8 random bytes)
    chunks   length (4 bytes, big-endian) · AES-256-GCM ciphertext of ≤ 1 MiB

Chunk n is sealed with nonce = prefix · n (4 bytes) and the header plus a last-chunk flag as
associated data, so reordered, dropped, appended or truncated chunks fail to open (the STREAM
construction). The plaintext is a sequence of entries: a JSON line `{"name": …}`, then frames
(length · bytes) ending with an empty frame; a `{"end": true}` line closes the archive.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"MUSTERBK"
VERSION = 1
CHUNK = 1 << 20
HEADER_SIZE = len(MAGIC) + 1 + 8


class BackupError(ValueError):
    """The backup file cannot be read: wrong key, damaged, truncated or not a backup."""


class _Sealer:
    def __init__(self, out: BinaryIO, key: bytes) -> None:
        self.out, self.aead = out, AESGCM(key)
        self.header = MAGIC + bytes([VERSION]) + os.urandom(8)
        out.write(self.header)
        self.counter, self.pending = 0, bytearray()

    def write(self, data: bytes) -> None:
        self.pending += data
        while len(self.pending) > CHUNK:  # keep one chunk back: the last one is flagged
            self._chunk(bytes(self.pending[:CHUNK]), last=False)
            del self.pending[:CHUNK]

    def _chunk(self, data: bytes, *, last: bool) -> None:
        nonce = self.header[-8:] + struct.pack(">I", self.counter)
        sealed = self.aead.encrypt(nonce, data, self.header + (b"\x01" if last else b"\x00"))
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.counter += 1

    def close(self) -> None:
        self._chunk(bytes(self.pending), last=True)
        self.pending = bytearray()


def _opened(source: BinaryIO, key: bytes) -> Iterator[bytes]:
    header = source.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
        raise BackupError("not a Muster backup file")
    if header[len(MAGIC)] != VERSION:
        raise BackupError(f"backup format version {header[len(MAGIC)]} is not supported")
    aead, counter = AESGCM(key), 0
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) < 4:
            raise BackupError("the backup file is truncated (its last chunk is missing)")
        sealed = source.read(struct.unpack(">I", size_bytes)[0])
        nonce = header[-8:] + struct.pack(">I", counter)
        counter += 1
        for flag in (b"\x00", b"\x01"):
            try:
                data = aead.decrypt(nonce, sealed, header + flag)
            except InvalidTag:
                continue
            yield data
            if flag == b"\x01":
                if source.read(1):
                    raise BackupError("the backup file has data after its last chunk")
                return
            break
        else:
            raise BackupError(
                f"chunk {counter} does not open: wrong backup key, or the file was changed"
            )


class BackupWriter:
    """Entries written through the sealer; `close()` ends the archive."""

    def __init__(self, out: BinaryIO, key: bytes) -> None:
        self.sealer = _Sealer(out, key)

    def add(self, name: str, chunks: Iterable[bytes]) -> int:
        self.sealer.write(json.dumps({"name": name}).encode() + b"\n")
        size = 0
        for chunk in chunks:
            if chunk:
                self.sealer.write(struct.pack(">I", len(chunk)) + chunk)
                size += len(chunk)
        self.sealer.write(struct.pack(">I", 0))
        return size

    def add_file(self, name: str, path: Path) -> int:
        with path.open("rb") as handle:
            return self.add(name, iter(lambda: handle.read(CHUNK), b""))

    def close(self) -> None:
        self.sealer.write(json.dumps({"end": True}).encode() + b"\n")
        self.sealer.close()


class _Plain:
    """The decrypted stream, read by exact sizes."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.buffer = chunks, bytearray()

    def read(self, size: int) -> bytes:
        while len(self.buffer) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                raise BackupError("the backup archive ends in the middle of an entry")
            self.buffer += chunk
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def line(self) -> bytes:
        while b"\n" not in self.buffer:
            chunk = next(self.chunks, None)
            if chunk is None:
                raise BackupError("the backup archive ends in the middle of an entry")
            self.buffer += chunk
        line, _, rest = bytes(self.buffer).partition(b"\n")
        self.buffer = bytearray(rest)
        return line


def entries(source: BinaryIO, key: bytes) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(name, its data in frames) for each entry; each entry's frames must be consumed (or
    drained with `for _ in data: pass`) before the next is asked for."""
    plain = _Plain(_opened(source, key))
    while True:
        line = plain.line()
        try:
            head = json.loads(line)
        except ValueError as exc:
            raise BackupError("the backup archive is damaged") from exc
        if head.get("end"):
            return

        def frames() -> Iterator[bytes]:
            while True:
                size = struct.unpack(">I", plain.read(4))[0]
                if size == 0:
                    return
                yield plain.read(size)

        data = frames()
        yield str(head["name"]), data
        for _ in data:  # whatever the caller left unread
            pass
