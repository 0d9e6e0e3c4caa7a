"""Insert a row or update the one that is already there, in one statement, on SQLite and PostgreSQL.

"Look, then insert" loses when the same participant sends twice at once: both look, both insert, and
the second hits the unique constraint. `INSERT ... ON CONFLICT DO UPDATE` lets the database decide.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from ..models import db

DIALECTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def upsert(model: type, key: dict[str, Any], values: dict[str, Any]) -> None:
    """Make sure one row of `model` with the unique `key` exists and holds `values`."""
    connection = db.session.connection()  # Core, not the ORM: a vote is the hottest path of a session
    insert = DIALECTS[connection.dialect.name]
    statement = insert(model).values(**key, **values)
    connection.execute(statement.on_conflict_do_update(index_elements=list(key), set_=values))
