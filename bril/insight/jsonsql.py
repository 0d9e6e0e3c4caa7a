"""Reading inside JSON columns in SQL, on SQLite and on PostgreSQL alike, so that counting stays in the database.

A session keeps its agenda as a JSON list of items, and insight needs the items that are one card. The two
databases spell that differently: SQLite has `json_each` and `json_extract`, PostgreSQL `json_array_elements`.
"""
from __future__ import annotations

from sqlalchemy import Text, cast, func, literal, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from ..models import db


def on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def list_items(column, *fields: str) -> tuple[ColumnElement, ...]:
    """For a JSON list of objects: each element's index (from 0) and the text of `fields`, one row per element.

    A table function: used in a select, it joins its rows to the row whose column it reads."""
    if on_postgresql():
        each = func.json_array_elements(column).table_valued("value", with_ordinality="number",
                                                              joins_implicitly=True).render_derived()
        return (each.c.number - 1, *(each.c.value.op("->>")(literal(name)) for name in fields))
    each = func.json_each(column).table_valued("key", "value", joins_implicitly=True)
    return (each.c.key, *(func.json_extract(each.c.value, f"$.{name}") for name in fields))


def as_text(column) -> ColumnElement:
    """A JSON column as its text, which both databases can group by (PostgreSQL's json type cannot be compared)."""
    return cast(column, Text) if on_postgresql() else type_coerce(column, Text)  # SQLite keeps JSON as text

