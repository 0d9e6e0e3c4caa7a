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
from .content import format_report
from .content_files import export, import_files
from .extensions import library
from .models import ROLE_LABELS, Organisation, User, db
from .platform import create_organisation, name_problem, slug_for, slug_problem
from .sessions.changes import purge_expired
from .tenancy import the_only_organisation

content_cli = AppGroup("content", help="Verhalen en dilemmakaarten controleren, importeren en exporteren.")
users_cli = AppGroup("users", help="Accounts beheren.")
db_cli = AppGroup("db", help="De database bijwerken.")
workshops_cli = AppGroup("workshops", help="Teamsessies onderhouden.")
orgs_cli = AppGroup("orgs", help="Organisaties op deze installatie.")

DEMO_EMAIL = "begeleider@voorbeeld.nl"


def init_app(app: Flask) -> None:
    for group in (content_cli, users_cli, db_cli, workshops_cli, orgs_cli):
        app.cli.add_command(group)


@content_cli.command("check")
def content_check() -> None:
    """Check every content file; the app refuses to load with a report when one is broken."""
    # Loading the app already parsed all content and exits with the full report on any mistake.
    content = library()
    click.echo(f"Alles in orde: {len(content.stories)} verhalen, {len(content.dilemmas)} dilemmakaarten, "
               f"{len(content.meldroutes.routes)} meldroutes.")


def organisation_named(slug: str) -> Organisation:
    """The organisation with a short name, or a Dutch error for the command line."""
    found = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if found is None:
        raise click.BadParameter(f"er is geen organisatie met korte naam {slug} (zie `flask orgs list`).",
                                 param_hint="--org")
    return found


@content_cli.command("export")
@click.option("--org", "org", required=True, help="Korte naam van de organisatie.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def content_export(org: str, folder: Path) -> None:
    """Write an organisation's published cards and stories as Markdown files (FOLDER/dilemmas, FOLDER/stories)."""
    written = export(organisation_named(org), folder)
    click.echo(f"{len(written)} {'bestand' if len(written) == 1 else 'bestanden'} geschreven naar {folder}.")


@content_cli.command("import")
@click.option("--org", "org", required=True, help="Korte naam van de organisatie.")
@click.option("--publish", is_flag=True, help="Publiceer meteen elk bestand zonder fouten.")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def content_import(org: str, publish: bool, files: tuple[Path, ...]) -> None:
    """Read card and story files into an organisation's drafts, checked as `flask content check` checks them."""
    result = import_files(organisation_named(org), list(files), publish=publish, root=Path.cwd())
    click.echo(f"{len(result.drafts)} van {len(files)} bestanden ingelezen als concept"
               + (f", {len(result.published)} gepubliceerd." if publish else "."))
    if result.problems:
        click.echo(format_report(result.problems), err=True)
        raise SystemExit(1)


@orgs_cli.command("create")
@click.argument("name")
@click.option("--slug", help="Korte naam, zoals gemeente-voorbeeld (standaard: gemaakt uit de naam).")
def orgs_create(name: str, slug: str | None) -> None:
    """Add an organisation."""
    problem = name_problem(name) or slug_problem(slug or slug_for(name))
    if problem:
        raise click.ClickException(problem)
    organisation = create_organisation(name, slug)
    click.echo(f"Organisatie gemaakt: {organisation.name} (korte naam {organisation.slug}).")


@orgs_cli.command("list")
def orgs_list() -> None:
    """List the organisations with their short names."""
    for organisation in db.session.scalars(select(Organisation).order_by(Organisation.name)):
        click.echo(f"{organisation.slug}\t{organisation.name}")


def organisation_for(slug: str | None, role: str) -> int | None:
    """The organisation a new account joins: the one named, or the only one there is."""
    if role == "platformbeheerder":
        return None
    if slug:
        found = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        if found is None:
            raise click.BadParameter(f"er is geen organisatie met korte naam {slug} (zie `flask orgs list`).",
                                     param_hint="--org")
        return found.id
    only = the_only_organisation()
    if only is None:
        raise click.BadParameter("er zijn meerdere organisaties (of geen): kies er een met --org.", param_hint="--org")
    return only.id


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(list(ROLE_LABELS)), default="deelnemer", show_default=True)
@click.option("--org", "org", help="Korte naam van de organisatie (niet nodig als er maar één is).")
@click.option("--password", prompt="Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord")
def users_create(email: str, role: str, org: str | None, password: str) -> None:
    """Create an account with a role, in an organisation."""
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("dit is geen e-mailadres.", param_hint="EMAIL")
    if len(password) < 12:
        raise click.BadParameter("een wachtwoord heeft minstens 12 tekens.", param_hint="--password")
    organisation_id = organisation_for(org, role)
    same = User.organisation_id == organisation_id if organisation_id else User.organisation_id.is_(None)
    if db.session.scalar(select(User.id).where(User.email == email, same)):
        raise click.ClickException(f"er is al een account met {email} in deze organisatie.")
    db.session.add(User(email=email, role=role, organisation_id=organisation_id,
                        password_hash=security.hash_password(password)))
    db.session.commit()
    click.echo(f"Account gemaakt: {email} ({ROLE_LABELS[role].lower()}).")


@users_cli.command("demo")
def users_demo() -> None:
    """Create the demo procesbegeleider (or give it a new password) and print the login."""
    password = "-".join(secrets.token_hex(3) for _ in range(3))
    user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        only = the_only_organisation()
        user = User(email=DEMO_EMAIL, role="procesbegeleider", organisation_id=only.id if only else None)
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
    days = current_app.config["WORKSHOP_RETENTION_DAYS"] if days is None else days
    count = purge_expired(days)
    click.echo(f"Deelnemersgegevens gewist van {count} {'sessie' if count == 1 else 'sessies'} "
               f"(ouder dan {days} dagen).")
