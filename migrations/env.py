"""Alembic environment: runs migrations on the app's own engine."""
from __future__ import annotations

from alembic import context

from bril.models import db
from bril.models.base import built_on

config = context.config
target_metadata = db.metadata


def run_migrations_online() -> None:
    """Run migrations on the engine handed over by `flask db upgrade` or the tests."""
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A migration that copies a table (SQLite's only way to drop a constraint) drops the old one:
            # with foreign keys on, that would delete every row that points to it. Off before any
            # transaction begins (inside one SQLite ignores it), checked and on again at the end.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=sqlite,
                              include_object=built_on(connection.dialect.name))
            with context.begin_transaction():
                context.run_migrations()
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("na de migratie verwijzen rijen naar iets dat niet bestaat")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations_online()
