"""The outcomes ledger: what became of each reviewed case's suspects

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 12:08:52.528859
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outcome_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('person_ref', sa.String(length=64), nullable=False),
    sa.Column('event', sa.String(length=30), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_outcome_event_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_event'))
    )
    with op.batch_alter_table('outcome_event', schema=None) as batch_op:
        batch_op.create_index('ix_outcome_event_kind', ['event', 'occurred_on'], unique=False)
        batch_op.create_index('ix_outcome_event_suspect', ['referral_id', 'person_ref'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outcome_event', schema=None) as batch_op:
        batch_op.drop_index('ix_outcome_event_suspect')
        batch_op.drop_index('ix_outcome_event_kind')

    op.drop_table('outcome_event')
