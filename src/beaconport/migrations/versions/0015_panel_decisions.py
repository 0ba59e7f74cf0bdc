"""Panel decisions: the decision log of what happens to each reviewed case

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 11:27:16.544262
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('panel_decision',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('review_id', sa.Uuid(), nullable=False),
    sa.Column('outcome', sa.String(length=60), nullable=False),
    sa.Column('options_considered', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('members', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('decided_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_panel_decision_referral_id_referral')),
    sa.ForeignKeyConstraint(['review_id'], ['case_review.id'], name=op.f('fk_panel_decision_review_id_case_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_decision'))
    )
    with op.batch_alter_table('panel_decision', schema=None) as batch_op:
        batch_op.create_index('ix_panel_decision_case', ['referral_id', 'current'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('panel_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_panel_decision_case')

    op.drop_table('panel_decision')
