"""organisations: one installation for many; everything that exists moves into one organisation

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The organisation an existing installation (or a new one) starts with; /platform adds more.
FIRST_NAME, FIRST_SLUG = "Mijn organisatie", "standaard"


def upgrade() -> None:
    organisation = op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name'),
    sa.UniqueConstraint('slug')
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(organisation, [{"id": 1, "name": FIRST_NAME, "slug": FIRST_SLUG, "created_at": now}])
    if op.get_bind().dialect.name == "postgresql":
        # The row above was given its id by hand: let the next organisation get 2.
        op.execute("SELECT setval(pg_get_serial_sequence('organisation', 'id'), 1)")
    if op.get_bind().dialect.name == "sqlite":
        # Not a batch (copy, drop, rename) on SQLite: dropping the old user table would cascade to every
        # plan, session and walk of its users. A column with its reference can be added in place.
        op.execute('ALTER TABLE "user" ADD COLUMN organisation_id INTEGER REFERENCES organisation (id)')
    else:
        op.add_column('user', sa.Column('organisation_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_user_organisation_id_organisation', 'user', 'organisation',
                              ['organisation_id'], ['id'])
    op.create_index(op.f('ix_user_organisation_id'), 'user', ['organisation_id'], unique=False)
    # Every existing account, with its plans, sessions, walks and reflections, now belongs to the first one.
    op.execute("UPDATE \"user\" SET organisation_id = 1")


def downgrade() -> None:
    op.drop_index(op.f('ix_user_organisation_id'), table_name='user')
    if op.get_bind().dialect.name == "sqlite":
        op.execute('ALTER TABLE "user" DROP COLUMN organisation_id')
    else:
        op.drop_constraint('fk_user_organisation_id_organisation', 'user', type_='foreignkey')
        op.drop_column('user', 'organisation_id')
    op.drop_table('organisation')
