"""The scheduler's table: which scheduler holds which job's run (scheduler.py, `Leases`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class JobLeaseRow(Base):
    """Which scheduler runs a scheduled job, for which scheduled time (scheduler.py, `Leases`).

    One row per job: a scheduler runs a job's run time only if it moves `run_time` forward while no
    unexpired lease is held, in one conditional UPDATE, so two schedulers on one database never run
    the same run, nor the same job at once."""

    __tablename__ = "job_leases"

    job_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    run_time: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the scheduled time last claimed
    holder: Mapped[str | None] = mapped_column(String(120))  # host:pid of the scheduler running it, while it runs
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(Text)  # ok | missed | error: … | the job's own summary
    runs: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
