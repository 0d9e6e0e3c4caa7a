"""`flask xapi settings|status|send`: the record store from the command line, and a sender for cron."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .. import outbox
from ..cli import organisation_named
from ..models import ACTOR_EMAIL, ACTOR_PSEUDONYM, RecordStore, db
from ..outbound import address_problem
from . import sender, status

xapi_cli = AppGroup("xapi", help="Resultaten naar het leerportaal (xAPI) van een organisatie.")


def init_app(app: Flask) -> None:
    app.cli.add_command(xapi_cli)


@xapi_cli.command("settings")
@click.option("--org", "org", required=True, help="Korte naam van de organisatie.")
@click.option("--endpoint", help="Adres van de leeromgeving (xAPI-endpoint), met https://.")
@click.option("--key", help="Sleutel (gebruikersnaam) bij de leeromgeving.")
@click.option("--secret", envvar="XAPI_SECRET", help="Geheim bij de leeromgeving (of zet XAPI_SECRET).")
@click.option("--actor", type=click.Choice([ACTOR_PSEUDONYM, ACTOR_EMAIL]),
              help="Hoe een collega heet in de leeromgeving (standaard: pseudoniem).")
@click.option("--on/--off", "active", default=None, help="Versturen aan of uit zetten.")
def settings(org: str, endpoint: str | None, key: str | None, secret: str | None, actor: str | None,
             active: bool | None) -> None:
    """Set an organisation's record store; what is not given stays as it was. The secret is never printed."""
    organisation = organisation_named(org)
    store = db.session.get(RecordStore, organisation.id) or RecordStore(organisation_id=organisation.id,
                                                                         actor=ACTOR_PSEUDONYM, active=False)
    store.endpoint = (endpoint or store.endpoint or "").strip()
    store.key, store.secret = key or store.key, secret or store.secret
    store.actor = actor or store.actor or ACTOR_PSEUDONYM
    store.active = store.active if active is None else active
    problem = address_problem(store.endpoint, sender.loopback_allowed(), sender.WHO) if store.endpoint else (
        "Geef het adres van de leeromgeving met --endpoint.")
    if problem or not store.key or not store.secret:
        raise click.ClickException(problem or "Geef de sleutel en het geheim met --key en --secret.")
    db.session.add(store)
    db.session.commit()
    click.echo(f"Opgeslagen voor {organisation.name}: {store.endpoint}, sleutel {store.key}, {store.actor}; "
               f"versturen staat {'aan' if store.active else 'uit'}.")


@xapi_cli.command("status")
@click.option("--org", "org", required=True, help="Korte naam van de organisatie.")
def show_status(org: str) -> None:
    """Show what was sent, what waits and what failed."""
    organisation = organisation_named(org)
    store = db.session.get(RecordStore, organisation.id)
    found = status.overview(organisation.id)
    click.echo(f"{organisation.name}: versturen staat {'aan' if store and store.active else 'uit'}"
               + (f" ({store.endpoint})." if store else "."))
    click.echo(f"Verstuurd: {found.sent}. Wacht: {found.waiting}. Mislukt: {found.failed}.")
    for row in found.open_rows:
        click.echo(f"- {row.state}: {row.summary} (pogingen: {row.attempts})"
                   + (f": {row.last_error}" if row.last_error else ""))


@xapi_cli.command("send")
@click.option("--retry", "retry_org", help="Zet eerst alles wat mislukte van deze organisatie weer klaar.")
def send(retry_org: str | None) -> None:
    """Send everything that is due now, in batches (for cron; the site's workers also send by themselves)."""
    if retry_org:
        sender.try_again(organisation_named(retry_org).id)
    claimed_total, sent_total = outbox.send_everything(sender.send_due)
    sender.purge_sent()
    click.echo(f"{sent_total} van {claimed_total} leerrecords verstuurd.")
    if sent_total < claimed_total:
        raise SystemExit(1)
