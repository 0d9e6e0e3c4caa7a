"""the retention purge at scale: an index on every column that points at a participant

Deleting a session's participants sets participant_id to NULL in votes, marks, answers, "ik ook" and parked
questions. Without an index PostgreSQL scans each of those tables once per participant deleted: with 100,000
votes the hourly purge, which runs inside someone's POST, took minutes.

Revision ID: 0021
Revises: 0020
"""
from __future__ import annotations

from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

TABLES = ('vote', 'scene_mark', 'answer', 'support', 'parking_post')


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f'ix_{table}_participant_id', table, ['participant_id'], unique=False)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(f'ix_{table}_participant_id', table_name=table)
