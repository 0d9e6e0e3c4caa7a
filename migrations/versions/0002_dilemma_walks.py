"""dilemma walks

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dilemma_walk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dilemma', sa.String(length=100), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('decisions', sa.JSON(), nullable=False),
    sa.Column('reviewing', sa.Boolean(), nullable=False),
    sa.Column('reflection', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token')
    )
    with op.batch_alter_table('dilemma_walk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dilemma_walk_dilemma'), ['dilemma'], unique=False)
        batch_op.create_index(batch_op.f('ix_dilemma_walk_ended_at'), ['ended_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dilemma_walk_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dilemma_walk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dilemma_walk_user_id'))
        batch_op.drop_index(batch_op.f('ix_dilemma_walk_ended_at'))
        batch_op.drop_index(batch_op.f('ix_dilemma_walk_dilemma'))

    op.drop_table('dilemma_walk')
