"""results in the organisation's learning record store (xAPI): its settings and the queue of statements

Revision ID: 0014
Revises: 0013
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('record_store',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('endpoint', sa.String(length=300), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('secret', sa.String(length=500), nullable=False),
    sa.Column('actor', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id')
    )
    op.create_table('queued_statement',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('statement', sa.JSON(), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_queued_statement_due', 'queued_statement', ['state', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_queued_statement_organisation_id'), 'queued_statement', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_queued_statement_user_id'), 'queued_statement', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_queued_statement_user_id'), table_name='queued_statement')
    op.drop_index(op.f('ix_queued_statement_organisation_id'), table_name='queued_statement')
    op.drop_index('ix_queued_statement_due', table_name='queued_statement')
    op.drop_table('queued_statement')
    op.drop_table('record_store')
