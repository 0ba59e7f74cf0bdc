"""Screening overrides: a decision in place of screening's, taking effect on a second person's approval.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 07:03:02.804833
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('screening_override',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('screened_decision', sa.String(length=20), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=4000), nullable=False),
    sa.Column('requested_by', sa.String(length=120), nullable=False),
    sa.Column('requested_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('approved_by', sa.String(length=120), nullable=True),
    sa.Column('approved_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approval_note', sa.String(length=4000), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_screening_override_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_override'))
    )
    with op.batch_alter_table('screening_override', schema=None) as batch_op:
        batch_op.create_index('ix_screening_override_referral', ['referral_id', 'status'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('screening_override', schema=None) as batch_op:
        batch_op.drop_index('ix_screening_override_referral')

    op.drop_table('screening_override')

