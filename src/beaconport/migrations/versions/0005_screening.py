"""Screening: each decision (with its rule set, version and reasons) and each run's report.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 06:22:14.610001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('screening_run',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('ruleset', sa.String(length=40), nullable=False),
    sa.Column('started_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('screened', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('report', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_run'))
    )
    op.create_table('screening_decision',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('ruleset', sa.String(length=40), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('failed', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('unknown', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('results', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('involves_rape', sa.Boolean(), nullable=False),
    sa.Column('red_flags', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('screened_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('screened_by', sa.String(length=120), nullable=False),
    sa.Column('run_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_screening_decision_referral_id_referral')),
    sa.ForeignKeyConstraint(['run_id'], ['screening_run.id'], name=op.f('fk_screening_decision_run_id_screening_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_decision'))
    )
    with op.batch_alter_table('screening_decision', schema=None) as batch_op:
        batch_op.create_index('ix_screening_decision_current', ['referral_id', 'current'], unique=False)
        batch_op.create_index('ix_screening_decision_outcome', ['current', 'decision'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('screening_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_screening_decision_outcome')
        batch_op.drop_index('ix_screening_decision_current')

    op.drop_table('screening_decision')
    op.drop_table('screening_run')

