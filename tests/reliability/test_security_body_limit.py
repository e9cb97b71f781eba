"""Request bodies are capped before anything reads them: a stranger's huge POST is refused with 413
before sign-in, CSRF or parsing, whether it declares its length or streams it in chunks; only the
upload routes (watchlist import, reference images) take more.

The memory row runs the real `ipwatch serve` (two worker processes) and sends it three 300 MB bodies
at once from 127.0.0.1, sampling the resident memory of the server's processes in /proc: a resource
bound, not a timing.
"""

from __future__ import annotations

import io
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from ipwatch.web.app import create_app
from tests.children import ipwatch_env as env
from tests.children import spawn
from tests.servers import free_port
from tests.web.conftest import app, client, scene, web_settings  # noqa: F401 - fixtures

MiB = 1024 * 1024
ATTACK_BYTES = 300 * 1000 * 1000  # the 300 MB
MEMORY_BOUND_MIB = 800
LIMITS = "request bodies capped before sign-in: 413 by Content-Length and by counting chunked bodies"


@pytest.mark.reliability("security", LIMITS)
def test_a_body_larger_than_the_limit_is_refused_before_sign_in_or_parsing(scene):
    settings = scene.settings.model_copy(update={"request_max_bytes": 64 * 1024})
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as anonymous:
        declared = anonymous.post("/api/alerts/bulk", content=b"[" * (65 * 1024),
                                  headers={"Content-Type": "application/json"})
        assert declared.status_code == 413  # not 403 (no CSRF token): refused before anything looked at it

        def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it arrives
            for _ in range(1000):
                yield b" " * 1024

        streamed = anonymous.post("/login", content=chunks(),
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert streamed.status_code == 413
        small = anonymous.post("/api/alerts/bulk", json={"alert_ids": [1], "action": "reviewing"})
        assert small.status_code == 403  # within the limit: CSRF is checked as before


@pytest.mark.reliability("security", LIMITS)
def test_the_upload_routes_take_an_upload_and_refuse_more(scene, client):
    from ipwatch.web.watchlist_admin import MAX_UPLOAD

    admin = client("admin")
    noise = Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > 1.5 * MiB  # larger than any other request may be
    page = admin.form("/admin/marks/xiaofeiyang/images", files={"image": ("logo.png", buffer.getvalue(), "image/png")})
    assert page.status_code == 303, page.text[:300]
    too_big = admin.form("/admin/watchlist/import", files={"file": ("w.yaml", b"#" * (MAX_UPLOAD + 2 * MiB))})
    assert too_big.status_code == 413
    json_too_big = admin.post("/api/alerts/bulk", content=b" " * (2 * MiB), headers={
        "X-CSRF-Token": admin.csrf, "Content-Type": "application/json"})
    assert json_too_big.status_code == 413  # the API is not an upload route


# --- the memory bound, on the real server -------------------------------------------------------------


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (MiB)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total / 1024


@dataclass
class Peak:
    pid: int
    mib: float = 0.0
    running: bool = True

    def sample(self) -> None:
        while self.running:
            self.mib = max(self.mib, tree_rss_mib(self.pid))
            time.sleep(0.02)


def send_huge_body(port: int, path: str, *, chunked: bool) -> str:
    """POST ATTACK_BYTES of JSON-looking bytes without signing in; the status line the server answers."""
    block = b'{"alert_ids":[' + b"1," * (MiB // 2 - 8)
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            + ("Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {ATTACK_BYTES}\r\n") + "\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(head.encode())
        sent = 0
        while sent < ATTACK_BYTES:
            if select.select([connection], [], [], 0)[0]:
                break  # the server has answered: stop sending
            piece = block[: ATTACK_BYTES - sent]
            try:
                connection.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        if chunked and sent >= ATTACK_BYTES:
            connection.sendall(b"0\r\n\r\n")
        answer = b""
        while b"\r\n" not in answer:
            data = connection.recv(4096)
            if not data:
                break
            answer += data
        return answer.split(b"\r\n", 1)[0].decode(errors="replace")


def settled(pid: int, port: int) -> None:
    """Wait until the server answers and its workers' memory stops growing (imports done)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    previous = -1.0
    while time.monotonic() < deadline and abs(tree_rss_mib(pid) - previous) > 4:
        previous = tree_rss_mib(pid)
        time.sleep(1)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`ipwatch serve` (two workers, no scheduler) on a fresh data folder; its process and port."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    process = spawn(env(folder / "data"), "serve", "--no-scheduler", "--workers", "2", "--port", str(port),
                    log=folder / "serve.log")
    try:
        settled(process.pid, port)
        assert process.poll() is None, (folder / "serve.log").read_text()[-2000:]
        yield process, port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.reliability("security", "3 unauthenticated 300 MB bodies at once keep `ipwatch serve` under 800 MiB")
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads resident memory from /proc")
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_three_huge_unauthenticated_bodies_keep_the_server_under_800_mib(served, chunked, record_property):
    process, port = served
    before = tree_rss_mib(process.pid)
    peak = Peak(process.pid)
    sampler = threading.Thread(target=peak.sample, daemon=True)
    sampler.start()
    answers: list[str] = []
    senders = [threading.Thread(target=lambda: answers.append(send_huge_body(port, "/api/alerts/bulk",
                                                                             chunked=chunked)))
               for _ in range(3)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=600)
    time.sleep(0.5)
    peak.running = False
    sampler.join()
    record_property("figure", f"peak {peak.mib:.0f} MiB (before {before:.0f} MiB; bound {MEMORY_BOUND_MIB} MiB)")
    print(f"ipwatch serve resident memory: {before:.0f} MiB before, peak {peak.mib:.0f} MiB", file=sys.stderr)
    assert len(answers) == 3 and all(answer.split(" ")[1:2] == ["413"] for answer in answers), answers
    assert peak.mib < MEMORY_BOUND_MIB, f"peak {peak.mib:.0f} MiB (before {before:.0f} MiB)"
    assert process.poll() is None and os.path.exists(f"/proc/{process.pid}")
