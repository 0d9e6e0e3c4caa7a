"""`flask inzicht export --org SHORT DIR`: insight's tables as CSV files, for a municipality's own reporting.

The files hold exactly what the beheerder's pages show, suppressed the same way (they call the same figures).
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from ..cli import organisation_named
from ..libraries import library_for
from .agreements import agreement_figures, agreements_table
from .by_role import role_reach
from .figures import Period, recent_reach
from .tables import card_table, excel_csv, reach_table, signals_table
from .trends import card_insight, story_insight

insight_cli = AppGroup("inzicht", help="Inzicht voor een organisatie: de tabellen als CSV-bestanden.")


def init_app(app: Flask) -> None:
    app.cli.add_command(insight_cli)


@insight_cli.command("export")
@click.option("--org", "org", required=True, help="Korte naam van de organisatie.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export(org: str, folder: Path) -> None:
    """Write bereik.csv (with the reach per role), afspraken.csv (when any were made), kaart-<slug>.csv per card anyone
    chose at and verhaal-<slug>.csv per story anyone marked (each with its trend per quarter), into FOLDER (made when
    missing)."""
    organisation = organisation_named(org)
    files = dict(tables_of(organisation.id))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"Kan niet schrijven in de map {folder}: {error.strerror or error}.") from error
    click.echo(f"{len(files)} bestanden geschreven in {folder}: {', '.join(sorted(files))}")


def tables_of(organisation_id: int):
    """(file name, CSV text) for each of the organisation's tables."""
    everything = Period.parse(None)
    yield "bereik.csv", excel_csv(reach_table(*recent_reach(organisation_id), role_reach(organisation_id, everything)))
    agreements = agreement_figures(organisation_id, everything)
    if not agreements.empty:
        yield "afspraken.csv", excel_csv(agreements_table(agreements))
    for card in sorted(library_for(organisation_id).dilemmas.values(), key=lambda card: card.slug):
        steps, trend = card_insight(organisation_id, card, everything)
        if any(not (step.teams.empty and step.alone.empty) for step in steps):
            yield f"kaart-{card.slug}.csv", excel_csv(card_table(steps, trend))
    for story in sorted(library_for(organisation_id).stories.values(), key=lambda story: story.slug):
        scenes, trend = story_insight(organisation_id, story, everything)
        if any(not (scene.teams.empty and scene.alone.empty) for scene in scenes):
            yield f"verhaal-{story.slug}.csv", excel_csv(signals_table(scenes, trend))
