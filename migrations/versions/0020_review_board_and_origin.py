"""the shared library's review board, and the origin of a shared version as data

A platformbeheerder names users of any organisation to the review board (`user.shared_reviewer`). An offer
keeps the offering organisation's name (`shared_offer.origin`), shown beside the title instead of inside it;
existing offers take their organisation's current name.

Revision ID: 0020
Revises: 0019
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('shared_reviewer', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('shared_offer') as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=200), nullable=True))
    op.execute("UPDATE shared_offer SET origin = (SELECT organisation.name FROM organisation "
               "WHERE organisation.id = shared_offer.organisation_id)")
    with op.batch_alter_table('shared_offer') as batch_op:
        batch_op.alter_column('origin', existing_type=sa.String(length=200), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('shared_offer') as batch_op:
        batch_op.drop_column('origin')
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('shared_reviewer')
