"""sign in through an organisation's OpenID Connect provider

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('identity_provider',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('client_id', sa.String(length=200), nullable=False),
    sa.Column('client_secret', sa.String(length=500), nullable=False),
    sa.Column('role_claim', sa.String(length=100), nullable=False),
    sa.Column('role_map', sa.JSON(), nullable=False),
    sa.Column('default_role', sa.String(length=20), nullable=True),
    sa.Column('passwords_allowed', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id')
    )
    # Plain ALTER TABLE, also on SQLite: a batch copy of "user" would cascade-delete its plans (see 0006).
    op.add_column('user', sa.Column('oidc_issuer', sa.String(length=300), nullable=True))
    op.add_column('user', sa.Column('oidc_subject', sa.String(length=255), nullable=True))
    op.create_index('ix_user_oidc_identity', 'user', ['oidc_issuer', 'oidc_subject'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_user_oidc_identity', table_name='user')
    for column in ('oidc_subject', 'oidc_issuer'):
        op.execute(f'ALTER TABLE "user" DROP COLUMN {column}')
    op.drop_table('identity_provider')
