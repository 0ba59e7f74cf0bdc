"""The prior-review register: cases already reviewed, which screening consults.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 06:39:31.346629
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('prior_review',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('entry_reference', sa.String(length=120), nullable=False),
    sa.Column('force_code', sa.String(length=20), nullable=False),
    sa.Column('force_reference', sa.String(length=64), nullable=True),
    sa.Column('crime_reference', sa.String(length=64), nullable=True),
    sa.Column('reviewed_by', sa.String(length=200), nullable=False),
    sa.Column('completed_on', sa.String(length=10), nullable=True),
    sa.Column('outcome', sa.String(length=2000), nullable=True),
    sa.Column('imported_at_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prior_review')),
    sa.UniqueConstraint('entry_reference', name=op.f('uq_prior_review_entry_reference'))
    )
    with op.batch_alter_table('prior_review', schema=None) as batch_op:
        batch_op.create_index('ix_prior_review_crime_reference', ['force_code', 'crime_reference'], unique=False)
        batch_op.create_index('ix_prior_review_force_reference', ['force_code', 'force_reference'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('prior_review', schema=None) as batch_op:
        batch_op.drop_index('ix_prior_review_force_reference')
        batch_op.drop_index('ix_prior_review_crime_reference')

    op.drop_table('prior_review')

