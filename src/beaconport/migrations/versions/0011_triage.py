"""Triage: the versions of its weights (the first stored here), and each queued case's priority

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 10:35:28.199405
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

#: The first weights, as shipped (review/data/triage-1.json), frozen here as this migration
#: stored them.
FIRST_WEIGHTS = {
    "version": "triage-1",
    "note": "First weights: rape first, then the youngest complainant, suspects seen in other referrals, many suspects, safeguarding and screening's red flags; recent decisions a little higher, as more lines of inquiry are still achievable.",
    "factors": {
        "rape": {
            "points": 30
        },
        "youngest_complainant_age": {
            "bands": [
                {
                    "under": 13,
                    "points": 25
                },
                {
                    "under": 16,
                    "points": 15
                },
                {
                    "under": 18,
                    "points": 5
                }
            ],
            "unknown": 10
        },
        "suspects": {
            "each": 3,
            "most": 8
        },
        "suspects_in_other_referrals": {
            "each": 8,
            "most": 4
        },
        "safeguarding_flags": {
            "each": 10,
            "most": 3
        },
        "red_flags": {
            "each": 6,
            "most": 3
        },
        "years_since_decision": {
            "bands": [
                {
                    "under": 3,
                    "points": 10
                },
                {
                    "under": 7,
                    "points": 6
                },
                {
                    "under": 10,
                    "points": 3
                }
            ],
            "unknown": 0
        }
    }
}


def upgrade() -> None:
    op.create_table('triage_weight_set',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('document', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('created_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_weight_set')),
    sa.UniqueConstraint('version', name=op.f('uq_triage_weight_set_version'))
    )
    op.create_table('triage_priority',
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('force_code', sa.String(length=20), nullable=False),
    sa.Column('involves_rape', sa.Boolean(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('breakdown', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('weights_version', sa.String(length=40), nullable=False),
    sa.Column('decision_id', sa.Uuid(), nullable=False),
    sa.Column('linkage_run_id', sa.Uuid(), nullable=True),
    sa.Column('scored_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['screening_decision.id'], name=op.f('fk_triage_priority_decision_id_screening_decision')),
    sa.ForeignKeyConstraint(['linkage_run_id'], ['linkage_run.id'], name=op.f('fk_triage_priority_linkage_run_id_linkage_run')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_triage_priority_referral_id_referral')),
    sa.PrimaryKeyConstraint('referral_id', name=op.f('pk_triage_priority'))
    )
    with op.batch_alter_table('triage_priority', schema=None) as batch_op:
        batch_op.create_index('ix_triage_priority_force', ['force_code', sa.literal_column('score DESC'), 'referral_id'], unique=False)
        batch_op.create_index('ix_triage_priority_queue', [sa.literal_column('score DESC'), 'referral_id'], unique=False)
        batch_op.create_index('ix_triage_priority_rape', ['involves_rape', sa.literal_column('score DESC'), 'referral_id'], unique=False)

    weight_sets = sa.table(
        'triage_weight_set', sa.column('id', sa.Uuid()), sa.column('version', sa.String()),
        sa.column('document', sa.JSON()), sa.column('note', sa.Text()),
        sa.column('current', sa.Boolean()), sa.column('created_at_utc', sa.DateTime(timezone=True)),
        sa.column('created_by', sa.String()))
    op.bulk_insert(weight_sets, [{
        'id': uuid.uuid4(), 'version': FIRST_WEIGHTS['version'], 'document': FIRST_WEIGHTS,
        'note': FIRST_WEIGHTS['note'], 'current': True, 'created_at_utc': datetime.now(UTC),
        'created_by': 'beaconport'}])



def downgrade() -> None:
    with op.batch_alter_table('triage_priority', schema=None) as batch_op:
        batch_op.drop_index('ix_triage_priority_rape')
        batch_op.drop_index('ix_triage_priority_queue')
        batch_op.drop_index('ix_triage_priority_force')

    op.drop_table('triage_priority')
    op.drop_table('triage_weight_set')
