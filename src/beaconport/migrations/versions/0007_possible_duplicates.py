"""Possible duplicates: pairs of referrals that may be the same case, for a person to decide.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 06:42:07.717146
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('possible_duplicate',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_a', sa.Uuid(), nullable=False),
    sa.Column('referral_b', sa.Uuid(), nullable=False),
    sa.Column('basis', sa.String(length=30), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('found_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('decided_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['referral_a'], ['referral.id'], name=op.f('fk_possible_duplicate_referral_a_referral')),
    sa.ForeignKeyConstraint(['referral_b'], ['referral.id'], name=op.f('fk_possible_duplicate_referral_b_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_possible_duplicate')),
    sa.UniqueConstraint('referral_a', 'referral_b', 'basis', 'detail', name=op.f('uq_possible_duplicate_referral_a_referral_b_basis_detail'))
    )
    with op.batch_alter_table('possible_duplicate', schema=None) as batch_op:
        batch_op.create_index('ix_possible_duplicate_decision', ['decision'], unique=False)
        batch_op.create_index(batch_op.f('ix_possible_duplicate_referral_a'), ['referral_a'], unique=False)
        batch_op.create_index(batch_op.f('ix_possible_duplicate_referral_b'), ['referral_b'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('possible_duplicate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_possible_duplicate_referral_b'))
        batch_op.drop_index(batch_op.f('ix_possible_duplicate_referral_a'))
        batch_op.drop_index('ix_possible_duplicate_decision')

    op.drop_table('possible_duplicate')

