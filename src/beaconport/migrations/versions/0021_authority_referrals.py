"""Referrals of safeguarding flags to the authorities who can act

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 22:51:41.475778
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('authority_referral',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('flag_id', sa.Uuid(), nullable=False),
    sa.Column('route', sa.String(length=30), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('recipient_address', sa.String(length=320), nullable=False),
    sa.Column('gateway', sa.String(length=30), nullable=False),
    sa.Column('content', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sent_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by', sa.String(length=120), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('supervisor', sa.String(length=120), nullable=False),
    sa.Column('chased_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=120), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('action_taken', sa.Text(), nullable=True),
    sa.Column('responded_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['flag_id'], ['safeguarding_flag.id'], name=op.f('fk_authority_referral_flag_id_safeguarding_flag')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authority_referral'))
    )
    with op.batch_alter_table('authority_referral', schema=None) as batch_op:
        batch_op.create_index('ix_authority_referral_flag', ['flag_id'], unique=False)
        batch_op.create_index('ix_authority_referral_open', ['status', 'due_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('authority_referral', schema=None) as batch_op:
        batch_op.drop_index('ix_authority_referral_open')
        batch_op.drop_index('ix_authority_referral_flag')

    op.drop_table('authority_referral')
