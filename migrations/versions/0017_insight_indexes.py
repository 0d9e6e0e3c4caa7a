"""insight at scale: indexes for the first quarter with data, each person's first finished walk, a story's answers

Revision ID: 0017
Revises: 0015
"""
from __future__ import annotations

from alembic import op

revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_workshop_created_at', 'workshop', ['created_at'], unique=False)
    op.create_index('ix_dilemma_walk_started_at', 'dilemma_walk', ['started_at'], unique=False)
    op.create_index('ix_dilemma_walk_user_ended', 'dilemma_walk', ['user_id', 'ended_at'], unique=False)
    op.create_index('ix_scene_answer_story', 'scene_answer', ['story', 'answered_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_scene_answer_story', table_name='scene_answer')
    op.drop_index('ix_dilemma_walk_user_ended', table_name='dilemma_walk')
    op.drop_index('ix_dilemma_walk_started_at', table_name='dilemma_walk')
    op.drop_index('ix_workshop_created_at', table_name='workshop')
