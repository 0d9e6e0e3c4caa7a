"""the workshop room: when the current agenda item began, a timer that starts by itself, the page shown,
the sentences each participant marked in a scene, the question round, and a large hall

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
        batch_op.add_column(sa.Column('asking', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('hall', sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('shown', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'target_id', 'participant_id')
    )
    with op.batch_alter_table('support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('scene_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.Integer(), nullable=False),
    sa.Column('scene', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('passages', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workshop_id', 'item', 'scene', 'participant_id')
    )
    with op.batch_alter_table('scene_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scene_mark_workshop_id'), ['workshop_id'], unique=False)


def downgrade() -> None:
    for table in ('support', 'answer'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_workshop_id'))
        op.drop_table(table)
    with op.batch_alter_table('scene_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scene_mark_workshop_id'))
    op.drop_table('scene_mark')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('hall')
        batch_op.drop_column('asking')
        batch_op.drop_column('page')
        batch_op.drop_column('auto_timer')
        batch_op.drop_column('item_started_at')
