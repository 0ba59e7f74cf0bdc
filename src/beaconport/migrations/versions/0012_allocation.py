"""Allocation: reviewers' profiles, declared conflicts of interest, and who has each case

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 10:55:06.515026
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('allocation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('allocated_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('allocated_by', sa.String(length=120), nullable=False),
    sa.Column('priority_score', sa.Integer(), nullable=True),
    sa.Column('ended_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_by', sa.String(length=120), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_allocation_referral_id_referral')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_allocation_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation'))
    )
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.create_index('ix_allocation_case', ['referral_id', 'current'], unique=False)
        batch_op.create_index('ix_allocation_reviewer', ['user_id', 'current'], unique=False)

    op.create_table('conflict_declaration',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('declared_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('declared_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_conflict_declaration_referral_id_referral')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_conflict_declaration_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_declaration'))
    )
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.create_index('ix_conflict_declaration_case', ['referral_id', 'user_id'], unique=False)

    op.create_table('reviewer_profile',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('skills', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('vetting', sa.String(length=10), nullable=False),
    sa.Column('vetting_expires_on', sa.Date(), nullable=False),
    sa.Column('served_forces', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_reviewer_profile_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reviewer_profile'))
    )


def downgrade() -> None:
    op.drop_table('reviewer_profile')
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.drop_index('ix_conflict_declaration_case')

    op.drop_table('conflict_declaration')
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.drop_index('ix_allocation_reviewer')
        batch_op.drop_index('ix_allocation_case')

    op.drop_table('allocation')
