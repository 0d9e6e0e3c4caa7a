"""Insight's figures as plain tables: the CSV download, the `flask inzicht export` files, one shape for both.

Written as Excel in the Netherlands opens it with a double click, like the session report's CSV
(bril/sessions/reports.py): a semicolon between columns (the Dutch list separator), a byte-order mark so that
é and ë stay letters, and a decimal comma in the percentages. A hidden number is the word "verborgen".
"""
from __future__ import annotations

import csv
import io

from .charts import share
from .by_role import RoleReach
from .figures import Period, Reach, StepFigures
from .signals import SceneSignals
from .suppression import Figure

HIDDEN = "verborgen"

Rows = tuple[list[str], list[list]]


def excel_csv(table: Rows) -> str:
    header, rows = table
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def count(figure: Figure) -> int | str:
    return HIDDEN if figure.value is None else figure.value


def percentage(figure: Figure, total: Figure) -> str:
    """A share as a Dutch percentage with one decimal (`41,7`), or empty when the count or total is hidden."""
    value = share(figure.value, total.value)
    return "" if value is None else f"{value * 100:.1f}".replace(".", ",")


def card_table(steps: list[StepFigures]) -> Rows:
    header = ["Stap", "Waar", "Keuze", "Jullie organisatie", "Jullie organisatie (%)", "Alle organisaties",
              "Alle organisaties (%)"]
    rows = []
    for step in steps:
        for where, comparison in (("In sessies (ronde 1)", step.teams), ("Alleen", step.alone)):
            for label, ours, everyone in zip(comparison.labels, comparison.ours, comparison.everyone):
                rows.append([step.question, where, label, count(ours), percentage(ours, comparison.our_total),
                             count(everyone), percentage(everyone, comparison.total)])
    return header, rows


def reach_table(periods: list[Period], reach: list[Reach], by_role: RoleReach) -> Rows:
    """Oldest quarter first, as on the page; below it, after an empty line each, the reach per role and per kind of
    account (Excel opens the three blocks in columns, one under the other)."""
    header = ["Wat", *(period.label for period in periods), "Totaal"]
    rows = [[measure.label, *map(count, measure.per_quarter), count(measure.total)] for measure in reach]
    rows += [[], [ROLE_COLUMNS[0], *ROLE_COLUMNS[1:]],
             *([line.label, count(line.sessions), count(line.participants)] for line in by_role.roles),
             ["Totaal", "", count(by_role.participants)],
             [], list(ACCOUNT_COLUMNS),
             *([line.label, count(line.walkers)] for line in by_role.accounts),
             ["Totaal", count(by_role.walkers)]]
    return header, rows


ROLE_COLUMNS = ("Rol in de sessie", "Sessies met iemand in deze rol", "Deelnemers in deze rol")
ACCOUNT_COLUMNS = ("Soort account", "Mensen die alleen een kaart uitspeelden")


def signals_table(scenes: list[SceneSignals]) -> Rows:
    header = ["Scène", "Waar", "Signaal", "Jullie organisatie: gezien", "Jullie organisatie: gemist",
              "Jullie organisatie: gezien (%)", "Alle organisaties: gezien", "Alle organisaties: gemist",
              "Alle organisaties: gezien (%)"]
    rows = []
    for scene in scenes:
        for where, figures in (("In sessies", scene.teams), ("Alleen", scene.alone)):
            for index, label in enumerate(figures.labels):
                rows.append([f"{scene.number}. {scene.title}", where, label, count(figures.ours[index]),
                             count(figures.ours_missed[index]), percentage(figures.ours[index], figures.our_total),
                             count(figures.everyone[index]), count(figures.everyone_missed[index]),
                             percentage(figures.everyone[index], figures.total)])
    return header, rows
