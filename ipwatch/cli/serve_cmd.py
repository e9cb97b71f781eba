"""`ipwatch serve`: the triage web app (uvicorn), with the scheduler running beside it."""

from __future__ import annotations

import logging

import typer

from ipwatch.settings import Settings
from ipwatch.storage import migrate

log = logging.getLogger(__name__)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="port to listen on (0: any free port)"),
    no_scheduler: bool = typer.Option(False, "--no-scheduler", help="serve only; crawl and deliver elsewhere"),
) -> None:
    """Serve the triage UI and API; periodic crawls and alert delivery run beside it."""
    import uvicorn

    import scheduler
    from web.app import create_app

    settings = Settings()
    settings.ensure_dirs()
    migrate.upgrade(settings)
    app = create_app(settings)
    background = None
    if not no_scheduler:
        background = scheduler.build_scheduler(settings, scheduler.plan_of(settings))
        background.resume()
        log.info("scheduler: %d job(s) beside the web app", len(background.get_jobs()))
    else:
        log.info("scheduler off (--no-scheduler): run `ipwatch schedule` elsewhere to crawl and deliver")
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
    finally:
        if background is not None:
            background.shutdown(wait=False)
