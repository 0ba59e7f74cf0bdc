"""The review's actions across forces, and the blind second review of a sample

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 21:35:38.987228
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blind_sample_rule',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('set_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('set_by', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blind_sample_rule'))
    )
    op.create_table('review_action',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('finding_item', sa.String(length=10), nullable=True),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('allocated_to', sa.String(length=20), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('work_done', sa.Text(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('raised_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raised_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_review_action_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_action')),
    sa.UniqueConstraint('referral_id', 'number', name=op.f('uq_review_action_referral_id_number'))
    )
    with op.batch_alter_table('review_action', schema=None) as batch_op:
        batch_op.create_index('ix_review_action_holder', ['allocated_to', 'status', 'due_on'], unique=False)
        batch_op.create_index('ix_review_action_status', ['status', 'due_on'], unique=False)

    op.create_table('review_action_step',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('action_id', sa.Uuid(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['review_action.id'], name=op.f('fk_review_action_step_action_id_review_action')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_action_step'))
    )
    with op.batch_alter_table('review_action_step', schema=None) as batch_op:
        batch_op.create_index('ix_review_action_step_action', ['action_id', 'at_utc'], unique=False)

    op.create_table('review_disagreement',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('review_id', sa.Uuid(), nullable=False),
    sa.Column('second_review_id', sa.Uuid(), nullable=False),
    sa.Column('item', sa.String(length=10), nullable=False),
    sa.Column('first', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('second', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('resolution', sa.String(length=10), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=True),
    sa.Column('resolved_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['case_review.id'], name=op.f('fk_review_disagreement_review_id_case_review')),
    sa.ForeignKeyConstraint(['second_review_id'], ['case_review.id'], name=op.f('fk_review_disagreement_second_review_id_case_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_disagreement')),
    sa.UniqueConstraint('review_id', 'item', name=op.f('uq_review_disagreement_review_id_item'))
    )
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='primary', nullable=False))
        batch_op.add_column(sa.Column('blind_of', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('blind_sample', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_case_review_blind_of_case_review'), 'case_review', ['blind_of'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_review_blind_of_case_review'), type_='foreignkey')
        batch_op.drop_column('blind_sample')
        batch_op.drop_column('blind_of')
        batch_op.drop_column('kind')

    op.drop_table('review_disagreement')
    with op.batch_alter_table('review_action_step', schema=None) as batch_op:
        batch_op.drop_index('ix_review_action_step_action')

    op.drop_table('review_action_step')
    with op.batch_alter_table('review_action', schema=None) as batch_op:
        batch_op.drop_index('ix_review_action_status')
        batch_op.drop_index('ix_review_action_holder')

    op.drop_table('review_action')
    op.drop_table('blind_sample_rule')
