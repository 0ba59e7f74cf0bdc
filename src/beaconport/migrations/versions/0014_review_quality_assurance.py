"""Quality assurance of a structured review: when it was submitted, and its sign-off or return

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 11:19:26.883580
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_at_utc', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('qa_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('qa_at_utc', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('qa_note', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.drop_column('qa_note')
        batch_op.drop_column('qa_at_utc')
        batch_op.drop_column('qa_by')
        batch_op.drop_column('submitted_at_utc')

