"""e-mail addresses unique per organisation; provider identities per organisation

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# SQLite keeps the old unnamed UNIQUE (email) inside the table: only a copy of the table drops it. env.py
# runs the migrations on SQLite with foreign keys off, so dropping the old table cascades to nothing.
NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    op.drop_index('ix_user_oidc_identity', table_name='user')
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('user', naming_convention=NAMES, recreate='always') as batch_op:
            batch_op.drop_constraint('uq_user_email', type_='unique')
    else:
        op.drop_constraint('user_email_key', 'user', type_='unique')
    op.create_index('ix_user_email', 'user', ['email'])
    op.create_index('ix_user_organisation_email', 'user', ['organisation_id', 'email'], unique=True)
    platform_only = sa.text('organisation_id IS NULL')
    op.create_index('ix_user_platform_email', 'user', ['email'], unique=True, sqlite_where=platform_only,
                    postgresql_where=platform_only)
    op.create_index('ix_user_oidc_identity', 'user', ['organisation_id', 'oidc_issuer', 'oidc_subject'], unique=True)


def downgrade() -> None:
    # Fails, as it should, when one address has accounts in two organisations by now.
    op.drop_index('ix_user_oidc_identity', table_name='user')
    op.drop_index('ix_user_platform_email', table_name='user')
    op.drop_index('ix_user_organisation_email', table_name='user')
    op.drop_index('ix_user_email', table_name='user')
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('user', recreate='always') as batch_op:
            batch_op.create_unique_constraint('user_email_key', ['email'])
    else:
        op.create_unique_constraint('user_email_key', 'user', ['email'])
    op.create_index('ix_user_oidc_identity', 'user', ['oidc_issuer', 'oidc_subject'], unique=True)
