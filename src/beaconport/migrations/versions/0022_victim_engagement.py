"""Victim and survivor engagement: support, contact plans, the communications log, holds; the
review's own record of support for screening; a referral's hold

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 02:25:44.501046
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recorded_support',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('person_ref', sa.String(length=64), nullable=False),
    sa.Column('support', sa.String(length=30), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_recorded_support_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recorded_support')),
    sa.UniqueConstraint('referral_id', 'person_ref', name=op.f('uq_recorded_support_referral_id_person_ref'))
    )
    op.create_table('victim_case_hold',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('person_ref', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('status_before', sa.String(length=30), nullable=False),
    sa.Column('held_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('held_by', sa.String(length=120), nullable=False),
    sa.Column('lifted_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lifted_by', sa.String(length=120), nullable=True),
    sa.Column('lift_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_victim_case_hold_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_victim_case_hold'))
    )
    with op.batch_alter_table('victim_case_hold', schema=None) as batch_op:
        batch_op.create_index('ix_victim_case_hold_open', ['referral_id', 'lifted_at_utc'], unique=False)

    op.create_table('victim_engagement',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('person_ref', sa.String(length=64), nullable=False),
    sa.Column('support', sa.String(length=30), nullable=False),
    sa.Column('support_since', sa.Date(), nullable=False),
    sa.Column('preferred_name', sa.String(length=200), nullable=True),
    sa.Column('channels', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('safe_times', sa.String(length=500), nullable=True),
    sa.Column('no_contact', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('intermediary', sa.String(length=300), nullable=True),
    sa.Column('language', sa.String(length=100), nullable=True),
    sa.Column('needs', sa.String(length=1000), nullable=True),
    sa.Column('updates', sa.String(length=20), nullable=False),
    sa.Column('updates_how', sa.String(length=500), nullable=True),
    sa.Column('plan_revision', sa.Integer(), nullable=False),
    sa.Column('plan_saved_at_utc', sa.DateTime(timezone=True), nullable=True),
    sa.Column('plan_saved_by', sa.String(length=120), nullable=True),
    sa.Column('created_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_victim_engagement_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_victim_engagement')),
    sa.UniqueConstraint('referral_id', 'person_ref', name=op.f('uq_victim_engagement_referral_id_person_ref'))
    )
    with op.batch_alter_table('victim_engagement', schema=None) as batch_op:
        batch_op.create_index('ix_victim_engagement_support', ['support'], unique=False)

    op.create_table('victim_contact',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('engagement_id', sa.Uuid(), nullable=False),
    sa.Column('occurred_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('reached', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('duty_key', sa.String(length=120), nullable=True),
    sa.Column('recorded_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['victim_engagement.id'], name=op.f('fk_victim_contact_engagement_id_victim_engagement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_victim_contact'))
    )
    with op.batch_alter_table('victim_contact', schema=None) as batch_op:
        batch_op.create_index('ix_victim_contact_duty', ['duty_key'], unique=False)
        batch_op.create_index('ix_victim_contact_engagement', ['engagement_id', 'occurred_at_utc'], unique=False)

    op.create_table('victim_support_change',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('engagement_id', sa.Uuid(), nullable=False),
    sa.Column('from_state', sa.String(length=30), nullable=False),
    sa.Column('to_state', sa.String(length=30), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('approached_by', sa.String(length=200), nullable=False),
    sa.Column('through', sa.String(length=20), nullable=False),
    sa.Column('through_name', sa.String(length=200), nullable=True),
    sa.Column('agreed', sa.Text(), nullable=False),
    sa.Column('recorded_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['victim_engagement.id'], name=op.f('fk_victim_support_change_engagement_id_victim_engagement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_victim_support_change'))
    )
    with op.batch_alter_table('victim_support_change', schema=None) as batch_op:
        batch_op.create_index('ix_victim_support_change_engagement', ['engagement_id', 'recorded_at_utc'], unique=False)

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_hold', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('on_hold')

    with op.batch_alter_table('victim_support_change', schema=None) as batch_op:
        batch_op.drop_index('ix_victim_support_change_engagement')

    op.drop_table('victim_support_change')
    with op.batch_alter_table('victim_contact', schema=None) as batch_op:
        batch_op.drop_index('ix_victim_contact_engagement')
        batch_op.drop_index('ix_victim_contact_duty')

    op.drop_table('victim_contact')
    with op.batch_alter_table('victim_engagement', schema=None) as batch_op:
        batch_op.drop_index('ix_victim_engagement_support')

    op.drop_table('victim_engagement')
    with op.batch_alter_table('victim_case_hold', schema=None) as batch_op:
        batch_op.drop_index('ix_victim_case_hold_open')

    op.drop_table('victim_case_hold')
    op.drop_table('recorded_support')
