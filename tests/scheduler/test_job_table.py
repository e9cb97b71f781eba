"""Schedulers starting at the same moment on one database all get the job store's table."""

from __future__ import annotations

import threading

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import inspect

from ipwatch import scheduler
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database

STARTING = 6


def test_schedulers_starting_together_all_get_the_job_table(settings: Settings) -> None:
    databases = [Database(settings) for _ in range(STARTING)]
    ready, errors = threading.Barrier(STARTING), []

    def start(database: Database) -> None:
        store = SQLAlchemyJobStore(engine=database.engine, tablename="scheduler_jobs")
        ready.wait()
        try:
            scheduler._create_job_table(store, database)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(database,)) for database in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert errors == []
        assert "scheduler_jobs" in inspect(databases[0].engine).get_table_names()
    finally:
        for database in databases:
            database.dispose()


@pytest.mark.parametrize("attempt", range(3))
def test_the_race_is_survived_again_and_again(settings: Settings, attempt: int) -> None:
    test_schedulers_starting_together_all_get_the_job_table(settings)
