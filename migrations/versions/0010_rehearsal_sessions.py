"""rehearsal sessions with simulated participants

Revision ID: 0010
Revises: 0009
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workshop') as batch_op:
        batch_op.add_column(sa.Column('rehearsal', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('simulated', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('simulated_roles', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('simulated_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workshop') as batch_op:
        batch_op.drop_column('simulated_at')
        batch_op.drop_column('simulated_roles')
        batch_op.drop_column('simulated')
        batch_op.drop_column('rehearsal')
