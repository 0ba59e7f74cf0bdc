"""A person's API token: national team tools act with the person's roles

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 21:51:44.168701
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Uuid(), nullable=True))
        batch_op.alter_column('force_code',
               existing_type=sa.VARCHAR(length=20),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_api_token_user_id_user_account'), 'user_account', ['user_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_user_id_user_account'), type_='foreignkey')
        batch_op.alter_column('force_code',
               existing_type=sa.VARCHAR(length=20),
               nullable=False)
        batch_op.drop_column('user_id')

