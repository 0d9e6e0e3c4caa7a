"""the workshop room: when the current agenda item began, a timer that starts by itself, the page shown

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_started_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('auto_timer', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('page', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('page')
        batch_op.drop_column('auto_timer')
        batch_op.drop_column('item_started_at')
