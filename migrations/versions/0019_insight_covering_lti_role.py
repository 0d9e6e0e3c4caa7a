"""insight at scale: a walk's first choice as a generated column, indexed with its card and walker; a story's
answers indexed per scene with the marks. LTI: the role the portal last gave an account

Revision ID: 0019
Revises: 0018
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bril.models.learning import FirstDecision

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite adds a generated column only as VIRTUAL (computed when read, its value kept in the index, which is all
    # insight reads); PostgreSQL stores it. A new database from the models stores it on both.
    postgresql = op.get_bind().dialect.name == "postgresql"
    stored = True if postgresql else None
    op.add_column('dilemma_walk', sa.Column('first_choice', sa.Text(), sa.Computed(FirstDecision(), persisted=stored),
                                            nullable=True))
    op.create_index('ix_dilemma_walk_first_choice', 'dilemma_walk', ['first_choice', 'dilemma', 'user_id', 'started_at'],
                    unique=False)
    # PostgreSQL cannot put JSON in an index key, so there the marks are carried beside it (SQLite cannot).
    if postgresql:
        op.create_index('ix_scene_answer_scene_marks', 'scene_answer', ['story', 'scene', 'user_id'], unique=False,
                        postgresql_include=['chosen'])
    else:
        op.create_index('ix_scene_answer_scene', 'scene_answer', ['story', 'scene', 'user_id', 'chosen'], unique=False)
    op.add_column('lti_account', sa.Column('portal_role', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('lti_account') as batch_op:
        batch_op.drop_column('portal_role')
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.drop_index('ix_scene_answer_scene_marks' if postgresql else 'ix_scene_answer_scene', table_name='scene_answer')
    op.drop_index('ix_dilemma_walk_first_choice', table_name='dilemma_walk')
    with op.batch_alter_table('dilemma_walk') as batch_op:
        batch_op.drop_column('first_choice')
