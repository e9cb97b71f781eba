"""`ipwatch serve`: the triage web app (uvicorn worker processes), with the scheduler running beside it.

The app runs in `--workers` processes (default: one per CPU) that share the listening socket, as
uvicorn deploys it: a page's Python work (session, queries, template) holds one core, so a single
process queues requests behind each other (bench/load_ui.py). The scheduler runs once, in the
parent process that supervises the workers, never in a worker.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import typer

from ..core.settings import Settings
from ..core.storage import migrate

log = logging.getLogger(__name__)


def cpu_count() -> int:
    """The CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worker_app():  # noqa: ANN201 - a FastAPI app; imported lazily so `ipwatch --help` stays fast
    """The app in one worker process: uvicorn imports this factory in each process it starts."""
    from ..web.app import create_app

    return create_app(Settings())


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="port to listen on (0: any free port)"),
    workers: int = typer.Option(0, "--workers", min=0, max=64,
                                help="web worker processes (0: one per CPU this process may use)"),
    no_scheduler: bool = typer.Option(False, "--no-scheduler", help="serve only; crawl and deliver elsewhere"),
) -> None:
    """Serve the triage UI and API; periodic crawls and alert delivery run beside it."""
    import uvicorn

    from .. import scheduler

    settings = Settings()
    settings.ensure_dirs()
    migrate.upgrade(settings)
    workers = workers or cpu_count()
    if workers > 1 and port == 0:
        raise typer.BadParameter("several workers share one port: give --port, or --workers 1", param_hint="--port")
    background = None
    if not no_scheduler:
        background = scheduler.build_scheduler(settings, scheduler.plan_of(settings))
        background.resume()
        log.info("scheduler: %d job(s) beside the web app", len(background.get_jobs()))
    else:
        log.info("scheduler off (--no-scheduler): run `ipwatch schedule` elsewhere to crawl and deliver")
    log.info("web app: %d worker process(es) on http://%s:%d", workers, host, port)
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "info", "proxy_headers": False,
                               "server_header": False}
    try:
        if workers == 1:
            from ..web.app import create_app

            uvicorn.run(create_app(settings), **options)
        else:
            # Each worker builds the app from the same IPWATCH_* environment and ipwatch.toml.
            uvicorn.run("ipwatch.cli.serve_cmd:worker_app", factory=True, workers=workers, **options)
    finally:
        if background is not None:
            background.shutdown(wait=False)
