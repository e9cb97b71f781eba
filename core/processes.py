"""Processes named as the others see them, `host:pid`, and whether a named one of this machine is gone.

A crawler that was killed before it could say it was done (spiders/frontier.py) and a
scheduler that died holding a job's lease (scheduler.py) are both found this way, so that
neither holds up work until its timeout.
"""

from __future__ import annotations

import os
import socket


def process_name() -> str:
    """This process as other processes see it: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def of_this_machine(name: str) -> bool:
    """Whether `name` (host:pid) names a process of this machine."""
    host, _, pid = name.rpartition(":")
    return host == socket.gethostname() and pid.isdigit()


def gone(name: str) -> bool:
    """Whether `name` (host:pid) names a process of this machine that no longer exists."""
    if not of_this_machine(name):
        return False
    try:
        os.kill(int(name.rpartition(":")[2]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False
