"""the console's room features: a countdown per vote, answers sorted by "ik ook", a parked question
marked answered, and the participant chosen to speak

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speaker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('vote_deadline', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('by_support', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('parking_post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('parking_post', schema=None) as batch_op:
        batch_op.drop_column('answered')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('by_support')
        batch_op.drop_column('vote_deadline')
        batch_op.drop_column('speaker_id')
