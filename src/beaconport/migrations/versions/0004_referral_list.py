"""Referral list: status and people counts on each referral, and indexes for the list page.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 05:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

#: One index per sort order and common filter of the list, each ending in id for stable paging.
INDEXES = {
    'ix_referral_reference': ['force_reference', 'id'],
    'ix_referral_received': ['first_received_at_utc', 'id'],
    'ix_referral_referred_on': ['referred_on', 'id'],
    'ix_referral_suspects': ['suspect_count', 'id'],
    'ix_referral_force_received': ['force_code', 'first_received_at_utc', 'id'],
    'ix_referral_rape_received': ['involves_rape', 'first_received_at_utc', 'id'],
    'ix_referral_status_received': ['status', 'first_received_at_utc', 'id'],
}


def upgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=30), nullable=False,
                                      server_default='awaiting-screening'))
        batch_op.add_column(sa.Column('suspect_count', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('complainant_count', sa.Integer(), nullable=False,
                                      server_default='0'))
    count_of = """(SELECT count(*) FROM person_record p
        JOIN referral_version v ON v.id = p.version_id
        WHERE v.referral_id = referral.id AND v.number = referral.current_version
          AND p.role = :role)"""
    op.get_bind().execute(sa.text("UPDATE referral SET suspect_count = " + count_of),
                          {"role": "suspect"})
    op.get_bind().execute(sa.text("UPDATE referral SET complainant_count = " + count_of),
                          {"role": "complainant"})
    with op.batch_alter_table('referral', schema=None) as batch_op:
        for name in ('status', 'suspect_count', 'complainant_count'):
            batch_op.alter_column(name, server_default=None)
        # The reference index gains id, so it orders the list by reference too.
        batch_op.drop_index('ix_referral_force_reference')
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        for index in INDEXES:
            batch_op.drop_index(index)
        batch_op.create_index('ix_referral_force_reference', ['force_reference'], unique=False)
        for name in ('complainant_count', 'suspect_count', 'status'):
            batch_op.drop_column(name)
