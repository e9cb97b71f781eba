"""job leases: which scheduler runs which scheduled job run (scheduler.py)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ipwatch.core.storage.models import UTCDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_leases',
    sa.Column('job_id', sa.String(length=200), nullable=False),
    sa.Column('run_time', UTCDateTime(), nullable=True),
    sa.Column('holder', sa.String(length=120), nullable=True),
    sa.Column('expires_at', UTCDateTime(), nullable=True),
    sa.Column('started_at', UTCDateTime(), nullable=True),
    sa.Column('finished_at', UTCDateTime(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('runs', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_job_leases'))
    )


def downgrade() -> None:
    op.drop_table('job_leases')
