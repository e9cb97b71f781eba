"""queue version: a counter triggers raise on every change the triage queue shows; title search index

The triage UI caches queue pages (rows and total) per data version (web/queue_cache.py): with
100,000 alerts, counting them for every page view was most of a page's cost (bench/load_ui.py).
Triggers, not the app, raise the counter, so writes from the pipeline, the CLI or another process
count too. On PostgreSQL they are deferred constraint triggers that raise it once, at commit: the
row lock on the counter is held only while committing, so writers neither wait long nor deadlock.
A later SQLite migration that rebuilds one of these tables (batch mode) drops its triggers and must
create them again; until then the app serves without the cache (web/queue_cache.py checks at start).

`ix_listings_title_lower` serves `lower(title) LIKE '%…%'`: a pg_trgm GIN index on PostgreSQL
(a plain index on lower(title) if the server lacks pg_trgm, the search then reads every listing),
a plain one on SQLite.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# table → the columns whose update changes the queue (None: any column)
TRACKED: dict[str, tuple[str, ...] | None] = {
    "alerts": None,
    "listings": ("title", "seller", "price", "currency", "url", "site_id"),
    "marks": None,
    "sites": None,
    "case_alerts": None,
}
BUMP = "UPDATE data_versions SET n = n + 1 WHERE name = 'queue'"
PG_FUNCTION = f"""
CREATE FUNCTION ipwatch_bump_queue_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('ipwatch.queue_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('ipwatch.queue_bumped', 'yes', true);  -- once per transaction
        {BUMP};
    END IF;
    RETURN NULL;
END $$
"""


def _update_of(columns: tuple[str, ...] | None) -> str:
    return f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"


def upgrade() -> None:
    op.create_table(
        'data_versions',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('n', sa.BigInteger(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions')),
    )
    op.execute("INSERT INTO data_versions (name, n) VALUES ('queue', 0)")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table, columns in TRACKED.items():
            op.execute(f"CREATE CONSTRAINT TRIGGER queue_version_{table} AFTER INSERT OR {_update_of(columns)} "
                       f"OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                       "EXECUTE FUNCTION ipwatch_bump_queue_version()")
        has_trgm = bind.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").first()
        if has_trgm:
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            op.execute("CREATE INDEX ix_listings_title_lower ON listings USING gin (lower(title) gin_trgm_ops)")
        else:
            log.warning("pg_trgm is not installed on this PostgreSQL server: the queue's title search reads "
                        "every listing; install the server's contrib package and rebuild ix_listings_title_lower")
            op.execute("CREATE INDEX ix_listings_title_lower ON listings (lower(title))")
    else:
        for table, columns in TRACKED.items():
            for event in ("INSERT", _update_of(columns), "DELETE"):
                suffix = event.split()[0].lower()
                op.execute(f"CREATE TRIGGER queue_version_{table}_{suffix} AFTER {event} ON {table} "
                           f"BEGIN {BUMP}; END")
        op.execute("CREATE INDEX ix_listings_title_lower ON listings (lower(title))")


def downgrade() -> None:
    op.execute("DROP INDEX ix_listings_title_lower")
    if op.get_bind().dialect.name == "postgresql":
        for table in TRACKED:
            op.execute(f"DROP TRIGGER queue_version_{table} ON {table}")
        op.execute("DROP FUNCTION ipwatch_bump_queue_version()")
    else:
        for table in TRACKED:
            for suffix in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER queue_version_{table}_{suffix}")
    op.drop_table('data_versions')
