"""The pipeline's child processes: `python -m ipwatch.pipeline STEP JOB` runs one step of a job (a
`Crawl`) given as JSON (__main__.py). Scrapy's reactor cannot restart in a process, so the scheduler's rounds and
the crawler processes of a distributed crawl each run in one.

This process's running children are remembered, so that a signal it receives can be passed on to them:
on SIGTERM, Scrapy closes each crawl run as 'shutdown'.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel

log = logging.getLogger(__name__)
_running: set[subprocess.Popen[bytes]] = set()
_running_lock = threading.Lock()


@contextmanager
def child(step: str, job: BaseModel, **popen: Any) -> Iterator[subprocess.Popen[bytes]]:
    """A child process running `step` ('crawl' or 'round') of `job`, remembered while the block runs."""
    process = subprocess.Popen([sys.executable, "-m", "ipwatch.pipeline", step, job.model_dump_json()], **popen)
    with _running_lock:
        _running.add(process)
    try:
        yield process
    finally:
        with _running_lock:
            _running.discard(process)


def signal_children(signum: int) -> None:
    """Pass `signum` on to every child still running."""
    with _running_lock:
        running = list(_running)
    for process in running:
        if process.poll() is None:
            process.send_signal(signum)


def wait_or_stop(process: subprocess.Popen[bytes], name: str, timeout: float, grace: float) -> int:
    """The exit code of child `name`; one still running after `timeout` seconds gets SIGTERM (Scrapy closes
    its crawl cleanly), and SIGKILL if it has not ended `grace` seconds later."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        log.warning("%s: still running after %d s, stopping it", name, timeout)
    process.terminate()
    try:
        return process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
