"""alert delivery: digest mode and worker claims on deliveries; seller contacts for seller networks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mode', sa.String(length=10), server_default='immediate', nullable=False))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=120), nullable=True))
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seller_contacts', sa.JSON(), nullable=True))
    op.create_table('seller_contacts',
    sa.Column('id', Id, nullable=False),
    sa.Column('listing_id', Id, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_seller_contacts_listing_id_listings'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_contacts')),
    sa.UniqueConstraint('listing_id', 'kind', 'value', name='uq_seller_contacts_listing_kind_value')
    )
    with op.batch_alter_table('seller_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_seller_contacts_kind_value', ['kind', 'value'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_contacts_listing_id'), ['listing_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('seller_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_contacts_listing_id'))
        batch_op.drop_index('ix_seller_contacts_kind_value')
    op.drop_table('seller_contacts')
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_column('seller_contacts')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('mode')
