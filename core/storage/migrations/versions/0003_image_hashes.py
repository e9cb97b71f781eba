"""image hashes: wHash, colour hash and crop-resistant segments beside pHash and dHash

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.add_column(sa.Column('whash', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('colorhash', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('segments', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.drop_column('segments')
        batch_op.drop_column('colorhash')
        batch_op.drop_column('whash')
