"""The test databases: a PostgreSQL database per pytest-xdist worker, and emptying one quickly between tests."""
from __future__ import annotations

import functools
import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import database_url as normalise
from bril.models import db


@functools.cache
def worker_database(url: str) -> str:
    """`url` itself, or under pytest-xdist a database of this worker's own beside it (test_gw0, test_gw1, …),
    made when missing: workers running at once must not empty each other's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(normalise(url))
    name = f"{base.database}_{worker}"
    server = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def reset_postgresql(url: str) -> None:
    """Drop everything in the public schema so the test starts on an empty database (no tables)."""
    engine = create_engine(normalise(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def empty_tables(url: str) -> None:
    """Leave exactly the models' tables, without rows and with every id counting from 1 again. Deleting the rows
    takes a few milliseconds; dropping and creating the schema a second. A database whose tables or columns differ
    from the models (a migration test leaves alembic_version; a branch with a new column left its tables) is
    dropped, and the app creates the tables."""
    engine = create_engine(normalise(url))
    tables = db.metadata.sorted_tables
    with engine.begin() as connection:
        present = {tuple(row) for row in connection.execute(text(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t "
            "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'"))}
        if present == {(table.name, column.name) for table in tables for column in table.columns}:
            sequences = connection.scalars(text(
                "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'")).all()
            statements = [f'DELETE FROM "{table.name}"' for table in reversed(tables)]
            statements += [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
            connection.exec_driver_sql("; ".join(statements))
        else:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
