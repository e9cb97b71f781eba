"""The outbox: alert emails written as `.eml` files when no SMTP host is configured."""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from email.message import EmailMessage
from pathlib import Path

from ..core.clock import utcnow
from .failures import OutboxUnwritable

_UNSAFE = re.compile(r"[^A-Za-z0-9@._+-]+")


def eml_name(recipient: str) -> str:
    """`<timestamp>-<recipient>-<short-id>.eml`, with the recipient made safe for any filesystem."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
    who = _UNSAFE.sub("_", recipient).strip("._")[:100] or "unknown"
    return f"{stamp}-{who}-{uuid.uuid4().hex[:8]}.eml"


def write_eml(outbox_dir: Path, message: EmailMessage, recipient: str) -> Path:
    """Write `message` into `outbox_dir` atomically and return its path, or raise `OutboxUnwritable`."""
    try:
        return _write_atomically(outbox_dir, eml_name(recipient), message.as_bytes())
    except OSError as exc:
        raise OutboxUnwritable(recipient, f"cannot write to the outbox {outbox_dir}: {exc}") from exc


def _write_atomically(folder: Path, name: str, data: bytes) -> Path:
    """Temp file, fsync, rename: a crash leaves the whole file or none, never half of one."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, folder / name)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return folder / name
