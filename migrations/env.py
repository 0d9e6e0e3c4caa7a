"""Alembic environment: runs migrations on the app's own engine."""
from __future__ import annotations

from alembic import context

from bril.models import db

config = context.config
target_metadata = db.metadata


def run_migrations_online() -> None:
    """Run migrations on the engine handed over by `flask db upgrade` or the tests."""
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
