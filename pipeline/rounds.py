"""A site's round: crawl → match (alerts queued) → evidence → deliver, each step a function of `Settings`.
`ipwatch crawl` and `ipwatch demo` run a round in their own process; the scheduler runs each in a child
process (`round_in_child`), since Scrapy's reactor cannot restart in the scheduler's."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime

from ..alerts.delivery import DeliveryReport, deliver_pending
from ..core.clock import utcnow
from ..core.settings import Settings
from ..core.storage.engine import Database
from ..evidence.capture import CaptureReport, capture_pending
from ..spiders.crawl import ProgressHook
from ..spiders.profile import load_profile
from ..spiders.runs import record_exit, unmatched
from .children import child, wait_or_stop
from .crawling import Crawl, Crawled, crawl
from .matching import MatchReport, match_runs
from .news import Tell, logged

ROUND_TIMEOUT_S = 4 * 3600  # a scheduled round still running after this is stopped
TERM_GRACE_S = 60  # how long a stopped round may take to close its crawl runs
ERROR_TAIL = 4000  # characters of a failed round's log kept on its crawl runs


@dataclass(slots=True)
class RoundReport:
    """What one round did, step by step (None: the step did not run)."""

    crawled: Crawled
    matched: MatchReport | None = None
    evidence: CaptureReport | None = None
    delivery: DeliveryReport | None = None

    @property
    def ok(self) -> bool:
        """Whether the crawl finished (the later steps report their own failures)."""
        return self.crawled.ok


def capture_evidence(settings: Settings) -> CaptureReport:
    """The evidence step: every alert's missing WARC page, screenshot and fields, hash-chained."""
    with Database(settings) as database:
        return capture_pending(database, settings)


def deliver_alerts(settings: Settings) -> DeliveryReport:
    """The delivery step: one pass over the pending deliveries, digests that are due included."""
    with Database(settings) as database:
        return deliver_pending(database, settings)


def site_round(settings: Settings, job: Crawl, *, match: bool = True, deliver: bool = True,
               on_progress: ProgressHook | None = None, tell: Tell = logged) -> RoundReport:
    """Crawl `job.profile`; match its runs and those earlier rounds left unmatched (killed while matching,
    or crawled with `match=False`); capture the new alerts' evidence; send what is due (`deliver`)."""
    started = utcnow()
    report = RoundReport(crawl(settings, job, on_progress=on_progress, tell=tell))
    if not match:
        return report
    earlier = _unmatched(settings, job.profile.name, started)
    if earlier:
        tell(f"{job.profile.name}: also matching runs {', '.join(map(str, earlier))}, which ended unmatched")
    runs = sorted({*earlier, *report.crawled.run_ids})
    report.matched = match_runs(settings, runs, tell=tell)
    if runs:  # once, for every new alert
        report.evidence = capture_evidence(settings)
        tell(f"evidence: {report.evidence}")
    if deliver:
        report.delivery = deliver_alerts(settings)
        tell(f"delivery: {report.delivery}")
    return report


def _unmatched(settings: Settings, site: str, started: datetime) -> list[int]:
    with Database(settings) as database, database.session() as session:
        return unmatched(session, site, started)


def round_in_child(settings: Settings, site: str, processes: int = 1) -> str:
    """A round of `site` (a profile name or YAML path) in a child process writing to data_dir/logs/; its
    exit code, log and error are recorded on its crawl runs. Returns one line saying how it ended."""
    profile = load_profile(site)
    started = utcnow()
    stamp = started.strftime("%Y%m%dT%H%M%S")
    job = Crawl(profile=profile, processes=processes, launch=f"schedule:{profile.name}:{stamp}")
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_file = logs / f"crawl-{profile.name}-{stamp}.log"
    with log_file.open("wb") as output, child("round", job, stdout=output, stderr=subprocess.STDOUT) as running:
        code = wait_or_stop(running, f"crawl {profile.name}", ROUND_TIMEOUT_S, TERM_GRACE_S)
    error = log_file.read_text(encoding="utf-8", errors="replace")[-ERROR_TAIL:] if code else None
    with Database(settings) as database, database.session() as session:
        runs = record_exit(session, site=profile.name, base_url=profile.base_url, launch=str(job.launch),
                           since=started, exit_codes=[code], log=str(log_file), error=error)
    return f"crawl {profile.name}: exit code {code}, crawl run(s) {', '.join(map(str, runs))}"
