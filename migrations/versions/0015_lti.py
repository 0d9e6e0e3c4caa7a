"""launches from the learning portal (LTI 1.3)

Revision ID: 0015
Revises: 0014
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lti_tool_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('private_jwk', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('lti_launch_state',
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('state'),
    sa.UniqueConstraint('nonce')
    )
    with op.batch_alter_table('lti_launch_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_launch_state_created_at'), ['created_at'], unique=False)

    op.create_table('lti_platform',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('client_id', sa.String(length=200), nullable=False),
    sa.Column('deployment_ids', sa.JSON(), nullable=False),
    sa.Column('auth_login_url', sa.String(length=300), nullable=False),
    sa.Column('token_url', sa.String(length=300), nullable=False),
    sa.Column('jwks_url', sa.String(length=300), nullable=False),
    sa.Column('keep_email', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id')
    )
    with op.batch_alter_table('lti_platform', schema=None) as batch_op:
        batch_op.create_index('ix_lti_platform_issuer_client', ['issuer', 'client_id'], unique=True)

    op.create_table('lti_account',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'issuer', 'subject')
    )
    with op.batch_alter_table('lti_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_account_user_id'), ['user_id'], unique=False)

    op.create_table('lti_grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('lineitem', sa.String(length=500), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('lti_grade', schema=None) as batch_op:
        batch_op.create_index('ix_lti_grade_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_grade_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_lti_grade_user_lineitem', ['user_id', 'lineitem'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('lti_grade', schema=None) as batch_op:
        batch_op.drop_index('ix_lti_grade_user_lineitem')
        batch_op.drop_index(batch_op.f('ix_lti_grade_organisation_id'))
        batch_op.drop_index('ix_lti_grade_due')

    op.drop_table('lti_grade')
    with op.batch_alter_table('lti_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_account_user_id'))

    op.drop_table('lti_account')
    with op.batch_alter_table('lti_platform', schema=None) as batch_op:
        batch_op.drop_index('ix_lti_platform_issuer_client')

    op.drop_table('lti_platform')
    with op.batch_alter_table('lti_launch_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_launch_state_created_at'))

    op.drop_table('lti_launch_state')
    op.drop_table('lti_tool_key')
