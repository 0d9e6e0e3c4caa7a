"""Insight's figures as plain tables: the CSV download, the `flask inzicht export` files, one shape for both.

Written as Excel in the Netherlands opens it with a double click, like the session report's CSV
(bril/sessions/reports.py): a semicolon between columns (the Dutch list separator), a byte-order mark so that
é and ë stay letters, and a decimal comma in the percentages. A hidden number is the word "verborgen".
"""
from __future__ import annotations

import csv
import io

from .by_role import RoleReach
from .charts import share
from .figures import Period, Reach, StepFigures
from .own import OwnSessions
from .signals import SceneSignals
from .suppression import Figure
from .trends import Trend

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
    return dutch_percent(share(figure.value, total.value))


def card_table(steps: list[StepFigures], trend: Trend) -> Rows:
    """Per step and option, then (after an empty line) the trend per quarter."""
    header = ["Stap", "Waar", "Keuze", "Jullie organisatie", "Jullie organisatie (%)", "Alle organisaties",
              "Alle organisaties (%)"]
    rows = []
    for step in steps:
        for where, comparison in (("In sessies (ronde 1)", step.teams), ("Alleen", step.alone)):
            for label, ours, everyone in zip(comparison.labels, comparison.ours, comparison.everyone):
                rows.append([step.question, where, label, count(ours), percentage(ours, comparison.our_total),
                             count(everyone), percentage(everyone, comparison.total)])
    return header, rows + trend_rows(trend)


def reach_table(periods: list[Period], reach: list[Reach], by_role: RoleReach) -> Rows:
    """Oldest quarter first, as on the page; below it, after an empty line each, the reach per role and per kind of
    account (Excel opens the three blocks in columns, one under the other)."""
    header = ["Wat", *(period.label for period in periods), "Totaal"]
    rows = [[measure.label, *map(count, measure.per_quarter), count(measure.total)] for measure in reach]
    rows += [[], list(ROLE_COLUMNS),
             *([line.label, count(line.sessions), count(line.participants)] for line in by_role.roles),
             ["Totaal", "", count(by_role.participants)],
             [], list(ACCOUNT_COLUMNS),
             *([line.label, count(line.walkers)] for line in by_role.accounts),
             ["Totaal", count(by_role.walkers)]]
    return header, rows


ROLE_COLUMNS = ("Rol in de sessie", "Sessies met iemand in deze rol", "Deelnemers in deze rol")
ACCOUNT_COLUMNS = ("Soort account", "Mensen die alleen een kaart uitspeelden")


def signals_table(scenes: list[SceneSignals], trend: Trend) -> Rows:
    """Per scene and signal, then (after an empty line) the trend per quarter."""
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
    return header, rows + trend_rows(trend)


def trend_rows(trend: Trend) -> list[list]:
    """The trend as the page's table shows it: per quarter the people, and for a story the share of signals seen."""
    if trend.empty:
        return []
    shares = any(part is not None for part in trend.everyone_share)
    header = [f"Per kwartaal: {trend.measure}", "Jullie organisatie: mensen", "Alle organisaties: mensen"]
    header += ["Jullie organisatie: gezien (%)", "Alle organisaties: gezien (%)"] if shares else []
    rows = [[], header]
    for index, period in enumerate(trend.periods):
        row = [period.label, count(trend.ours[index]), count(trend.everyone[index])]
        if shares:
            row += [dutch_percent(trend.our_share[index]), dutch_percent(trend.everyone_share[index])]
        rows.append(row)
    return rows


def dutch_percent(part: float | None) -> str:
    return "" if part is None else f"{part * 100:.1f}".replace(".", ",")


def own_table(found: OwnSessions) -> Rows:
    """A procesbegeleider's own sessions: how many and who took part, then (after an empty line) per card, step and
    option both rounds."""
    header = ["Wat", "Aantal"]
    rows = [["Sessies", found.sessions], ["Deelnemers", count(found.participants)]]
    if found.cards:
        rows += [[], ["Kaart", "Stap", "Keuze", "Ronde 1", "Ronde 1 (%)", "Ronde 2", "Ronde 2 (%)"]]
    for card in found.cards:
        for step in card.steps:
            rounds = step.rounds
            for label, first, second in zip(rounds.labels, rounds.ours, rounds.everyone):
                rows.append([card.title, step.question, label, count(first), percentage(first, rounds.our_total),
                             count(second), percentage(second, rounds.total)])
    return header, rows
