"""The database handle every table stands on, and the two values nearly every table uses: now and a token."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo so SQLite and PostgreSQL store it alike."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_token() -> str:
    return secrets.token_urlsafe(24)


@event.listens_for(Engine, "connect")
def set_up_connection(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    """Use WAL and enforce foreign keys on every SQLite connection; no JIT on PostgreSQL."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # SQLite's advice for WAL: a commit survives a crash or restart of the server; only a power cut
        # can undo the last commits (synchronous=FULL would wait for the disk on every vote).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
    elif type(dbapi_connection).__module__.startswith("psycopg"):
        # No just-in-time compiling: it pays off for queries that run for seconds, and PostgreSQL starts it by the
        # planner's cost alone. An insight query over 100,000 walks that runs in 5 ms took 45 ms, 30 of them compiling.
        # Outside a transaction (SQLAlchemy's way of setting up a connection), so that no rollback undoes it.
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        cursor = dbapi_connection.cursor()
        cursor.execute("SET SESSION jit = off")
        cursor.close()
        dbapi_connection.autocommit = autocommit


def built_on(dialect: str):
    """Alembic's `include_object` for comparing the models with a database: an index the models build on another
    database only (`ddl_if`) is no difference (Alembic compares it regardless)."""
    def include(obj, name, kind, reflected, compare_to) -> bool:
        only = getattr(obj, "_ddl_if", None)
        return reflected or only is None or only.dialect is None or only.dialect == dialect
    return include
