"""The structured review: each review of a case, and its findings item by item

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 11:05:53.003369
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_review',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('reviewer_id', sa.Uuid(), nullable=False),
    sa.Column('instrument', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('started_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_case_review_referral_id_referral')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_case_review_reviewer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_review'))
    )
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.create_index('ix_case_review_case', ['referral_id'], unique=False)

    op.create_table('review_finding',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('review_id', sa.Uuid(), nullable=False),
    sa.Column('item', sa.String(length=10), nullable=False),
    sa.Column('assessment', sa.String(length=40), nullable=False),
    sa.Column('basis', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('achievable', sa.String(length=10), nullable=True),
    sa.Column('impact', sa.String(length=20), nullable=True),
    sa.Column('error_type', sa.String(length=30), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('saved_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('saved_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['case_review.id'], name=op.f('fk_review_finding_review_id_case_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_finding')),
    sa.UniqueConstraint('review_id', 'item', name=op.f('uq_review_finding_review_id_item'))
    )


def downgrade() -> None:
    op.drop_table('review_finding')
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.drop_index('ix_case_review_case')

    op.drop_table('case_review')
