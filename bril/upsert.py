"""Insert a row or update the one that is already there, in one statement, on SQLite and PostgreSQL.

"Look, then insert" loses when the same person sends twice at once (a double click, a retry): both
look, both insert, and the second hits the unique constraint with an error page. `INSERT ... ON
CONFLICT DO UPDATE` lets the database decide. Used for every "at most one per person" row; the live
vote has its own prepared statement of the same form (sessions/hotpath.py).
"""
from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite

from .models import db

DIALECTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def upsert(model: type, key: dict[str, Any], values: dict[str, Any], keep: Iterable[str] = ()) -> None:
    """Make sure one row of `model` with the unique `key` exists and holds `values`.

    Columns named in `keep` keep what is already stored there, unless that is empty (NULL).
    """
    connection = db.session.connection()
    insert = DIALECTS[connection.dialect.name]
    statement = insert(model).values(**key, **values)
    table = model.__table__
    update = {name: func.coalesce(table.c[name], statement.excluded[name]) if name in set(keep) else value
              for name, value in values.items()}
    connection.execute(statement.on_conflict_do_update(index_elements=list(key), set_=update))
