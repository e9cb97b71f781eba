"""Files that are whole or absent, and their SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path


def write_whole(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file beside it: after a kill or a full disk the file
    is either whole or absent, never half written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(target.suffix + ".part")
    try:
        temporary.write_bytes(data)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    temporary.replace(target)


def sha256_file(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size
