"""The evidence hash chain: an append-only file, `chain.jsonl` in the evidence folder, one JSON line per
evidence file. Each line holds the file's SHA-256 and the hash of the line before it, so changing,
removing or reordering any file or line afterwards breaks every hash from there on.

    hash(n) = SHA-256( hash(n-1) + "\\n" + canonical JSON of entry n without its "hash" )
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.files import sha256_file

CHAIN_FILE = "chain.jsonl"
GENESIS = "0" * 64
REMEDY = ("evidence changed after it was recorded: do not rely on the files from the first broken entry on; "
          "restore the evidence folder from a backup and run `ipwatch evidence verify` again")


class ChainError(Exception):
    """The chain file cannot be appended to: its last line is damaged."""


def canonical(entry: dict[str, Any]) -> str:
    """The one serialisation an entry is hashed in."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(entry: dict[str, Any]) -> str:
    """The hash of an entry (which names the hash before it under "prev")."""
    body = {key: value for key, value in entry.items() if key != "hash"}
    return hashlib.sha256(f"{body.get('prev', GENESIS)}\n{canonical(body)}".encode()).hexdigest()


def _last_line(handle: Any) -> bytes:
    handle.seek(0, os.SEEK_END)
    end = handle.tell()
    position, chunk = end, b""
    while position > 0 and chunk.count(b"\n") < 2:
        step = min(4096, position)
        position -= step
        handle.seek(position)
        chunk = handle.read(step) + chunk
    lines = chunk.rstrip(b"\n").split(b"\n")
    if end and not chunk.endswith(b"\n"):
        raise ChainError(f"the last line of {CHAIN_FILE} is incomplete; {REMEDY}")
    return lines[-1] if lines and lines[-1] else b""


def append(evidence_dir: Path, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Append `entries` to the chain under an exclusive lock, durably; returns them with seq, prev, hash."""
    evidence_dir.mkdir(parents=True, exist_ok=True)
    with (evidence_dir / CHAIN_FILE).open("a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            last = _last_line(handle)
            previous = json.loads(last) if last else {"seq": 0, "hash": GENESIS}
            seq, prev = int(str(previous["seq"])), str(previous["hash"])
            written, lines = [], []
            for entry in entries:
                seq += 1
                linked = {**entry, "seq": seq, "prev": prev}
                linked["hash"] = prev = entry_hash(linked)
                written.append(linked)
                lines.append(canonical(linked))
            end = handle.seek(0, os.SEEK_END)
            _write_whole(handle.fileno(), end, ("\n".join(lines) + "\n").encode())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return written


def _write_whole(fd: int, end: int, data: bytes) -> None:
    """Append `data` and fsync; on failure (a full disk takes part of a write) cut the file back to `end`,
    so that the chain never ends in a half line."""
    try:
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
    except OSError:
        os.ftruncate(fd, end)
        raise


@dataclass(slots=True)
class Verification:
    """What `verify` found: entries and files checked, and each problem with its line number."""

    entries: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def read(evidence_dir: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of every line of the chain."""
    path = evidence_dir / CHAIN_FILE
    if not path.exists():
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            yield number, raw.decode("utf-8", errors="replace")


def verify(evidence_dir: Path) -> Verification:
    """Check every link of the chain and every file it names (present, same SHA-256 and size)."""
    result = Verification()
    prev, seq = GENESIS, 0
    root = evidence_dir.resolve()
    for number, text in read(evidence_dir):
        if not text.endswith("\n"):
            result.problems.append(f"line {number}: incomplete (the file was cut short)")
        try:
            entry = json.loads(text)
        except ValueError:
            result.problems.append(f"line {number}: not a JSON entry")
            continue
        result.entries += 1
        seq += 1
        if entry.get("seq") != seq:
            result.problems.append(f"line {number}: entry number {entry.get('seq')} where {seq} belongs "
                                   "(an entry was removed or inserted)")
        if entry.get("prev") != prev:
            result.problems.append(f"line {number}: does not follow the entry before it (prev hash differs)")
        if entry_hash(entry) != entry.get("hash"):
            result.problems.append(f"line {number}: the entry was changed after it was written (hash differs)")
        prev = str(entry.get("hash"))
        path = (root / str(entry.get("path", ""))).resolve()
        if not path.is_relative_to(root) or not entry.get("path"):
            result.problems.append(f"line {number}: names a file outside the evidence folder")
            continue
        result.files += 1
        if not path.is_file():
            result.problems.append(f"line {number}: {entry['path']} is missing")
            continue
        digest, size = sha256_file(path)
        if digest != entry.get("sha256") or size != entry.get("size"):
            result.problems.append(f"line {number}: {entry['path']} was changed (SHA-256 differs)")
    return result
