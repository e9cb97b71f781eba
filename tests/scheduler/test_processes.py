"""A process of this machine that was killed is known to be gone; a live one, another machine's or a
malformed name is not (a lease or a crawler marked busy is then waited for, as before)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from ipwatch.core.processes import gone, process_name


def test_a_killed_process_of_this_machine_is_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    name = f"{socket.gethostname()}:{child.pid}"
    assert not gone(name)
    child.kill()
    child.wait()
    assert gone(name)


def test_this_process_another_machine_and_bad_names_are_not_gone() -> None:
    assert process_name() == f"{socket.gethostname()}:{os.getpid()}"
    assert not gone(process_name())
    assert not gone(f"elsewhere-{socket.gethostname()}:999999999")
    assert not gone(f"{socket.gethostname()}:not-a-pid")
    assert not gone("")
