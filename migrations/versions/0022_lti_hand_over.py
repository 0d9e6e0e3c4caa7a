"""LTI: a launch that arrived inside the portal's frame goes on in a window of its own (lti_hand_over)

Revision ID: 0022
Revises: 0021
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'lti_hand_over',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('target', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token'),
    )
    op.create_index('ix_lti_hand_over_created_at', 'lti_hand_over', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_lti_hand_over_created_at', table_name='lti_hand_over')
    op.drop_table('lti_hand_over')
