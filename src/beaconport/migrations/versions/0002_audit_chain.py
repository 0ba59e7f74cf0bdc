"""Audit chain: sequence numbers, s62 categories and hashes on every audit event.

Events already in the log are chained in the order they were written (time, then id).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:10:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from beaconport.audit.actions import S62_CATEGORY, AuditAction
from beaconport.audit.chain import GENESIS, entry_hash

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('actor_roles', sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column('category', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('records', JSON, nullable=True))
        batch_op.add_column(sa.Column('client', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('entry_hash', sa.String(length=64), nullable=True))
    _chain_existing_events()
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        for name in ('seq', 'category', 'prev_hash', 'entry_hash'):
            batch_op.alter_column(name, nullable=False)
        batch_op.create_index(batch_op.f('ix_audit_event_category'), ['category'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_seq'), ['seq'])


def _chain_existing_events() -> None:
    bind = op.get_bind()
    # Typed columns, so each engine hands back the values exactly as the application reads
    # them (SQLite would otherwise give ids, times and JSON as raw text, hashed differently).
    typed: dict[str, Any] = {'id': sa.Uuid(), 'seq': sa.BigInteger(), 'at_utc': sa.DateTime(timezone=True),
             'records': JSON, 'data': JSON}
    event = sa.table('audit_event', *(sa.column(name, typed.get(name, sa.String())) for name in (
        'id', 'seq', 'at_utc', 'actor', 'actor_roles', 'action', 'category', 'subject_type',
        'subject_id', 'records', 'data', 'justification', 'recipient', 'client', 'prev_hash',
        'entry_hash')))
    rows = bind.execute(sa.select(event).order_by(event.c.at_utc, event.c.id)).mappings().all()
    prev, seq = GENESIS, 0
    for row in rows:
        seq += 1
        values = {**row, 'seq': seq,
                  'category': S62_CATEGORY.get(AuditAction(row['action']), 'collection')}
        digest = entry_hash(values, prev)
        bind.execute(event.update().where(event.c.id == row['id']).values(
            seq=seq, category=values['category'], prev_hash=prev, entry_hash=digest))
        prev = digest
    bind.execute(sa.table('audit_chain_head', sa.column('id'), sa.column('seq'),
                          sa.column('last_hash')).insert().values(id=1, seq=seq, last_hash=prev))


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_seq'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_audit_event_category'))
        for name in ('entry_hash', 'prev_hash', 'client', 'records', 'category', 'actor_roles',
                     'seq'):
            batch_op.drop_column(name)
    op.drop_table('audit_chain_head')
