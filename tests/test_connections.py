"""Every database connection is set up alike when it opens (bril/models/base.py), and a rollback keeps it so."""
from __future__ import annotations

from sqlalchemy import text

from bril.models import db


def setting(statement: str):
    return db.session.execute(text(statement)).scalar()


def test_every_connection_is_set_up_for_its_database_and_a_rollback_keeps_it(app):
    with app.app_context():
        for _ in range(2):
            if db.engine.dialect.name == "sqlite":
                assert setting("PRAGMA journal_mode") == "wal"
                assert setting("PRAGMA foreign_keys") == 1
                assert setting("PRAGMA busy_timeout") == 5000
            else:  # an insight query of a few milliseconds spent 30 compiling (bench/insight.py)
                assert setting("SHOW jit") == "off"
            db.session.rollback()
