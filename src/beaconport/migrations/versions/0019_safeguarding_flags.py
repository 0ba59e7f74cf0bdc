"""Safeguarding flags on suspects who may still be a danger to children

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 22:21:47.326758
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('safeguarding_flag',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('person_ref', sa.String(length=64), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('access', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('linked_referrals', sa.Integer(), nullable=False),
    sa.Column('last_alleged_on', sa.Date(), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('urgency', sa.String(length=20), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('assessment', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('raised_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raised_by', sa.String(length=120), nullable=False),
    sa.Column('resolved_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=120), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_safeguarding_flag_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_flag'))
    )
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.create_index('ix_safeguarding_flag_open', ['status', 'urgency'], unique=False)
        batch_op.create_index('ix_safeguarding_flag_person', ['referral_id', 'person_ref'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.drop_index('ix_safeguarding_flag_person')
        batch_op.drop_index('ix_safeguarding_flag_open')

    op.drop_table('safeguarding_flag')
