"""`python -m ipwatch.pipeline STEP JOB`: one step of the pipeline in a child process (children.py).

STEP is `crawl` (one crawler process of a distributed crawl) or `round` (a site's whole round, as the
scheduler starts it); JOB is the `Crawl` as JSON. Settings come from the environment, as in the parent.
Exit code 0: the crawl finished; 1: it did not (stopped, failed), or the step raised.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from ..core.settings import Settings
from .crawling import Crawl, crawl
from .rounds import site_round

STEPS: dict[str, Callable[[Settings, Crawl], Any]] = {"crawl": crawl, "round": site_round}


def main(step: str, job: str) -> int:
    """Run `step` of `job`; the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    done = STEPS[step](Settings(), Crawl.model_validate_json(job))
    return 0 if done.ok else 1


raise SystemExit(main(*sys.argv[1:]))
