"""Command-line groups: `flask content check`, `flask users create`, `flask db upgrade`."""
from __future__ import annotations

import secrets
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from . import security
from .extensions import library
from .models import ROLE_LABELS, User, db

content_cli = AppGroup("content", help="Verhalen en dilemmakaarten controleren.")
users_cli = AppGroup("users", help="Accounts beheren.")
db_cli = AppGroup("db", help="De database bijwerken.")
workshops_cli = AppGroup("workshops", help="Teamsessies onderhouden.")

DEMO_EMAIL = "begeleider@voorbeeld.nl"


def init_app(app: Flask) -> None:
    for group in (content_cli, users_cli, db_cli, workshops_cli):
        app.cli.add_command(group)


@content_cli.command("check")
def content_check() -> None:
    """Check every content file; the app refuses to load with a report when one is broken."""
    # Loading the app already parsed all content and exits with the full report on any mistake.
    content = library()
    click.echo(f"Alles in orde: {len(content.stories)} verhalen, {len(content.dilemmas)} dilemmakaarten, "
               f"{len(content.meldroutes.routes)} meldroutes.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(list(ROLE_LABELS)), default="deelnemer", show_default=True)
@click.option("--password", prompt="Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord")
def users_create(email: str, role: str, password: str) -> None:
    """Create an account with a role."""
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("dit is geen e-mailadres.", param_hint="EMAIL")
    if len(password) < 12:
        raise click.BadParameter("een wachtwoord heeft minstens 12 tekens.", param_hint="--password")
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise click.ClickException(f"er is al een account met {email}.")
    db.session.add(User(email=email, role=role, password_hash=security.hash_password(password)))
    db.session.commit()
    click.echo(f"Account gemaakt: {email} ({ROLE_LABELS[role].lower()}).")


@users_cli.command("demo")
def users_demo() -> None:
    """Create the demo procesbegeleider (or give it a new password) and print the login."""
    password = "-".join(secrets.token_hex(3) for _ in range(3))
    user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        user = User(email=DEMO_EMAIL, role="procesbegeleider")
        db.session.add(user)
    user.password_hash = security.hash_password(password)
    db.session.commit()
    click.echo(f"Demo-account (procesbegeleider)\n  e-mailadres: {DEMO_EMAIL}\n  wachtwoord:  {password}")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date."""
    command.upgrade(alembic_config(current_app), "head")
    click.echo("De database is bijgewerkt.")


def alembic_config(app: Flask) -> Config:
    """Alembic settings pointing at migrations/ and the app's database."""
    config = Config()
    config.set_main_option("script_location", str(Path(app.root_path) / "migrations"))
    config.attributes["engine"] = db.engine
    return config


@workshops_cli.command("purge")
@click.option("--days", type=int, default=None, help="Bewaartermijn in dagen (standaard WORKSHOP_RETENTION_DAYS).")
def workshops_purge(days: int | None) -> None:
    """Delete participant data of sessions past the retention period; reports stay."""
    from .sessions.changes import purge_expired
    days = current_app.config["WORKSHOP_RETENTION_DAYS"] if days is None else days
    count = purge_expired(days)
    click.echo(f"Deelnemersgegevens gewist van {count} {'sessie' if count == 1 else 'sessies'} "
               f"(ouder dan {days} dagen).")
