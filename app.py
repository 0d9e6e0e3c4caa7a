"""Ondermijningsbril: the application factory.

`flask run`, `flask content check` and `flask users create` find this file on their own.
"""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

from flask import Flask

from bril import (account, admin, auth, cli, dilemmas, editor, main, meldroute, oidc, oidc_settings, platform,
                  statements, stories, wiring)
from bril.insight import commands as insight_commands
from bril.insight import views as insight
from bril.lti import settings as lti_settings, views as lti
from bril.sessions import live, plans, workshops
from bril.sharing import views as sharing
from bril.xapi import commands as xapi_commands
from bril.xapi import settings as xapi_settings

ROOT = Path(__file__).resolve().parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the site: config, database, content, blueprints and commands."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(app.instance_path) / 'bril.sqlite3'}",
        STORIES_DIR=ROOT / "stories",
        DILEMMAS_DIR=ROOT / "dilemmas",
        MELDROUTE_FILE=ROOT / "wie-is-hiervan.yaml",
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=None,
        REMEMBER_COOKIE_SECURE=None,
        SESSION_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        LOGIN_MAX_FAILURES=5,
        LOGIN_WINDOW_MINUTES=15,
        JOIN_MAX_FAILURES=10,
        JOIN_MAX_FAILURES_TOTAL=1000,
        WORKSHOP_RETENTION_DAYS=30,
        # No form here is near this size (a reflection is at most 5000 characters): refuse larger
        # requests before reading them.
        MAX_CONTENT_LENGTH=256 * 1024,
        # An identity provider at http://127.0.0.1 or http://localhost (tests, demonstrations); else https only.
        OIDC_HTTP_LOOPBACK=False,
        # A learning record store at http://127.0.0.1 or http://localhost (tests, demonstrations); else https only.
        XAPI_HTTP_LOOPBACK=False,
    )
    app.config.from_prefixed_env()
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("WORKSHOP_RETENTION_DAYS"):
        app.config["WORKSHOP_RETENTION_DAYS"] = int(os.environ["WORKSHOP_RETENTION_DAYS"])
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if test_config:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # A gevent worker serves hundreds of requests at once: keep enough connections open instead of
        # opening and closing one per request above the default five. Four workers stay within
        # PostgreSQL's default of 100 connections (4 x 20, plus one listener each).
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_size": 15, "max_overflow": 5})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))
    # Cookies only travel over HTTPS, except on a developer's own machine.
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config[name] is None:
            app.config[name] = not (app.debug or app.testing)

    wiring.init_app(app)
    register_blueprints(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Attach every feature module and the command-line groups."""
    for module in (main, auth, oidc, account, admin, oidc_settings, platform, stories, dilemmas, meldroute, statements,
                   xapi_settings, plans, workshops, live, editor, insight, lti, lti_settings, sharing):
        app.register_blueprint(module.bp)
    cli.init_app(app)
    xapi_commands.init_app(app)
    insight_commands.init_app(app)


def database_url(url: str) -> str:
    """Use the psycopg 3 driver for any PostgreSQL URL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret(instance: Path) -> str:
    """Read the development secret from instance/, creating it on first start."""
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    print(f"Nieuwe geheime sleutel gemaakt in {path}", file=sys.stderr)
    return path.read_text().strip()
