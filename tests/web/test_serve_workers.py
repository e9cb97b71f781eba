"""`ipwatch serve --workers 2`: two web worker processes on one port, the scheduler once, in the parent."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.servers import free_port


def test_two_workers_answer_and_the_scheduler_runs_once(settings, database):
    port = free_port()
    repo = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWATCH_")}
    env.update(IPWATCH_DATA_DIR=str(settings.data_dir), PYTHONPATH=str(repo), COLUMNS="200")
    if settings.database_url:
        env["IPWATCH_DATABASE_URL"] = settings.database_url
    process = subprocess.Popen([sys.executable, "-m", "ipwatch.cli", "serve", "--port", str(port), "--workers", "2"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, answered = time.monotonic() + 60, 0
        while time.monotonic() < deadline and answered < 10:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
                    answered += response.status == 200
            except OSError:
                time.sleep(0.2)
        assert answered == 10
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert output.count("job(s) beside the web app") == 1, output[-3000:]
    assert "2 worker process(es)" in output
    workers = set(re.findall(r"Started server process \[(\d+)\]", output))
    assert len(workers) == 2 and str(process.pid) not in workers, output[-3000:]
