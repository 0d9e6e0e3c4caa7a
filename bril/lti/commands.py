"""`flask lti platform|send|new-key|retire-keys`: an organisation's learning portal from the command line, a sender
for cron, and rotating the tool's own key. bril/lti/settings.py adds them to its blueprint's `lti` group."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from .. import outbox
from ..cli import organisation_named
from ..models import LtiPlatform, db
from . import keys, scores
from .platforms import url_problem


@click.command("platform")
@with_appcontext
@click.option("--org", "org", required=True, help="Korte naam van de organisatie.")
@click.option("--issuer", help="Uitgever (issuer) van het leerportaal, zoals https://leren.gemeente.nl.")
@click.option("--client-id", "client_id", help="Client-ID die het leerportaal aan het platform gaf.")
@click.option("--deployment", "deployments", multiple=True, help="Deployment-ID (mag vaker).")
@click.option("--auth-login-url", help="Adres voor aanmelden (authentication request URL).")
@click.option("--token-url", help="Adres voor toegangssleutels (access token URL).")
@click.option("--jwks-url", help="Adres van de openbare sleutels van het leerportaal.")
@click.option("--keep-email/--no-keep-email", default=None, help="Het e-mailadres uit het leerportaal bewaren.")
@click.option("--on/--off", "active", default=None, help="Starten vanuit het leerportaal aan of uit zetten.")
def platform_command(org: str, issuer: str | None, client_id: str | None, deployments: tuple[str, ...],
                     auth_login_url: str | None, token_url: str | None, jwks_url: str | None,
                     keep_email: bool | None, active: bool | None) -> None:
    """Register an organisation's learning portal; what is not given stays as it was."""
    organisation = organisation_named(org)
    platform = db.session.get(LtiPlatform, organisation.id) or LtiPlatform(
        organisation_id=organisation.id, active=False, keep_email=False, deployment_ids=[])
    platform.issuer = (issuer or platform.issuer or "").strip()
    platform.client_id = (client_id or platform.client_id or "").strip()
    platform.deployment_ids = list(deployments) or platform.deployment_ids or []
    for name, value in (("auth_login_url", auth_login_url), ("token_url", token_url), ("jwks_url", jwks_url)):
        setattr(platform, name, (value or getattr(platform, name) or "").strip())
        if not getattr(platform, name):
            raise click.ClickException(f"Geef --{name.replace('_', '-')}.")
        problem = url_problem(getattr(platform, name))
        if problem:
            raise click.ClickException(f"--{name.replace('_', '-')}: {problem}")
    if not platform.issuer or not platform.client_id or not platform.deployment_ids:
        raise click.ClickException("Geef --issuer, --client-id en minstens één --deployment.")
    platform.keep_email = platform.keep_email if keep_email is None else keep_email
    platform.active = platform.active if active is None else active
    db.session.add(platform)
    db.session.commit()
    click.echo(f"Opgeslagen voor {organisation.name}: {platform.issuer} (client-ID {platform.client_id}, "
               f"deployments {', '.join(platform.deployment_ids)}); starten staat "
               f"{'aan' if platform.active else 'uit'}.")


@click.command("send")
@with_appcontext
def send_command() -> None:
    """Send every grade that is due now to the portals (for cron)."""
    claimed_total, sent_total = outbox.send_everything(scores.send_due)
    click.echo(f"{sent_total} van {claimed_total} cijfers verstuurd.")
    if sent_total < claimed_total:
        raise SystemExit(1)


@click.command("new-key")
@with_appcontext
def new_key_command() -> None:
    """Make a new key for the tool: it signs from now on; the old one stays published until retire-keys."""
    kid = keys.add_key()
    click.echo(f"Nieuwe sleutel {kid} tekent vanaf nu. De oude staat nog in /lti/sleutels.json; haal hem weg met "
               "'flask lti retire-keys' als de leerportalen de nieuwe kennen (bijvoorbeeld na een dag).")


@click.command("retire-keys")
@with_appcontext
def retire_keys_command() -> None:
    """Take every key but the newest out of /lti/sleutels.json."""
    retired = keys.retire_keys()
    click.echo(f"{len(retired)} oude {'sleutel' if len(retired) == 1 else 'sleutels'} weggehaald"
               + (f": {', '.join(retired)}." if retired else "."))
