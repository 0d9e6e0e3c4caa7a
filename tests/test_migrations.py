"""The Alembic migrations build exactly the schema the models describe."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import create_app
from bril.models import db
from bril.models.base import built_on
from support import close_app


def test_migrations_match_the_models(database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert {"user", "scene_answer", "story_progress", "reflection", "login_attempt", "dilemma_walk"} <= set(
            inspect(db.engine).get_table_names())
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": built_on(connection.dialect.name)})
            diff = compare_metadata(context, db.metadata)
    close_app(app)
    assert diff == []


def test_addresses_become_unique_per_organisation_and_no_row_is_lost(database_url):
    """0009 copies the user table on SQLite: everything that points to a user must survive it."""
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from bril.cli import alembic_config
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        command.upgrade(alembic_config(app), "0008")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO organisation (id, name, slug, created_at) "
                                    "VALUES (2, 'Tweede', 'tweede', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO \"user\" (id, email, role, session_token, created_at, organisation_id, oidc_issuer, "
                "oidc_subject) VALUES (7, 'naam@gemeente-a.nl', 'deelnemer', 't', '2026-01-01', 1, "
                "'https://login.gemeente-a.nl', 'sub-1')"))
            connection.execute(text("INSERT INTO reflection (user_id, story, body, created_at) "
                                    "VALUES (7, 'verhaal', 'mijn reflectie', '2026-01-01')"))
            connection.execute(text("INSERT INTO login_session (id, user_id, created_at, expires_at) "
                                    "VALUES ('login-1', 7, '2026-01-01', '2099-01-01')"))
        command.upgrade(alembic_config(app), "head")
        with db.engine.begin() as connection:
            body = connection.execute(text("SELECT body FROM reflection WHERE user_id = 7")).scalar()
            assert body == "mijn reflectie"
            assert connection.execute(text("SELECT user_id FROM login_session")).scalar() == 7
            # The same address and the same provider identity in another organisation: now allowed.
            connection.execute(text(
                "INSERT INTO \"user\" (id, email, role, session_token, created_at, organisation_id, oidc_issuer, "
                "oidc_subject) VALUES (8, 'naam@gemeente-a.nl', 'deelnemer', 'u', '2026-01-01', 2, "
                "'https://login.gemeente-a.nl', 'sub-1')"))
        for organisation_id in (1, "NULL"):  # twice in one organisation, or twice on the platform: refused
            with pytest.raises(IntegrityError), db.engine.begin() as connection:
                for n in (9, 10):
                    connection.execute(text(
                        f"INSERT INTO \"user\" (id, email, role, session_token, created_at, organisation_id) "
                        f"VALUES ({n}, 'dubbel@gemeente-a.nl', 'deelnemer', 't{n}', '2026-01-01', {organisation_id})"))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": built_on(connection.dialect.name)})
            diff = compare_metadata(context, db.metadata)
            if connection.dialect.name == "sqlite":  # foreign keys are enforced again after the migration
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    close_app(app)
    assert diff == []
