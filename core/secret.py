"""The key that signs session cookies: from settings, or generated once into data_dir/secret_key."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .settings import Settings

KEY_FILE = "secret_key"


def secret_key(settings: Settings) -> str:
    """`settings.secret_key` if set; else the key in data_dir/secret_key, created 0600 on first use."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = settings.data_dir / KEY_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Written aside, then linked into place: a second process starting at the same moment
    # either links first or reads the complete key the first one linked.
    temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ValueError(f"{path} holds a key shorter than 32 characters: delete the file to make a new one")
    return key
