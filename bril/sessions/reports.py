"""The report of a team session: what was run, how the room voted, the path, parking lot and agreements.

It holds only totals, roles and texts that passed the privacy guard: no nickname, no participant.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from .. import clock
from ..content import Library, Story, role_label
from ..content.dilemmas import LETTERS
from ..content.routes import replay
from ..extensions import render_text
from ..reporting import book_of_session
from ..models import Agreement, Answer, ParkingPost, PathChoice, Vote, Workshop, db
from . import queries
from .agenda import items as agenda_items
from .vocabulary import PASS, who_label


@dataclass
class StepResult:
    """How the room voted at one step, per round, and which option it followed."""

    title: str
    options: list[str]
    rounds: dict[int, dict[int, int]] = field(default_factory=dict)
    followed: int | None = None
    majority: int | None = None
    overridden: bool = False


@dataclass
class SceneResult:
    """What the room saw in one scene of a story: per signal how many marked it, and marks that were no signal."""

    title: str
    markers: int
    signals: list[tuple[str, int]]
    not_signals: list[tuple[str, int]]


@dataclass
class ItemResult:
    """One agenda item as run."""

    title: str
    minutes: int
    steps: list[StepResult] = field(default_factory=list)
    ending: str | None = None
    scenes: list[SceneResult] = field(default_factory=list)


@dataclass
class Report:
    title: str
    code: str
    started: str
    ended: str | None
    items: list[ItemResult]
    parking: list[str]
    agreements: list[dict]
    answers: list[tuple[str, int]] = field(default_factory=list)  # the question round: text, "ik ook"
    rehearsal: bool = False  # a rehearsal with simulated participants: its figures count nowhere


def agreements(workshop: Workshop) -> list[Agreement]:
    return list(db.session.scalars(select(Agreement).filter_by(workshop_id=workshop.id).order_by(Agreement.id)))


def build(workshop: Workshop, content: Library) -> Report:
    """Collect the report from the database."""
    votes = db.session.execute(select(Vote.item, Vote.step, Vote.round, Vote.option)
                               .filter_by(workshop_id=workshop.id)).all()
    choices = {(c.item, c.step): c for c in db.session.scalars(select(PathChoice).filter_by(workshop_id=workshop.id)
                                                                 .order_by(PathChoice.id))}
    items = []
    for index, item in enumerate(agenda_items(workshop.agenda)):
        result = ItemResult(item.describe(content, short=True), item.minutes)
        story = content.stories.get(item.ref) if item.is_story else None
        if story is not None:
            result.scenes = scene_results(workshop, index, story)
        card = content.dilemmas.get(item.ref) if item.is_card else None
        if card is not None:
            touched = [step for step in card.steps.values()
                       if any(v.item == index and v.step == step.id for v in votes) or (index, step.id) in choices]
            for step in touched:
                step_result = StepResult(step.title, [o.label for o in step.options])
                for vote in votes:
                    if vote.item == index and vote.step == step.id:
                        rounds = step_result.rounds.setdefault(vote.round, {})
                        rounds[vote.option] = rounds.get(vote.option, 0) + 1
                choice = choices.get((index, step.id))
                if choice is not None:
                    step_result.followed, step_result.majority = choice.option, choice.majority
                    step_result.overridden = choice.overridden
                result.steps.append(step_result)
            route = [[c.step, c.option] for (i, _), c in choices.items() if i == index]
            node = replay(card, route).node
            result.ending = card.endings[node].title if node in card.endings else None
        items.append(result)
    supports = queries.support_counts(workshop.id)
    parking = [p.text + (f" ({supports[('parkeer', p.id)]}× ik ook)" if supports[("parkeer", p.id)] else "")
               + (" (beantwoord)" if p.answered else "") for p in db.session.scalars(select(ParkingPost).filter_by(workshop_id=workshop.id)
                                           .order_by(ParkingPost.id))]
    answers = [(a.text, supports[("antwoord", a.id)]) for a in db.session.scalars(
        select(Answer).filter_by(workshop_id=workshop.id).order_by(Answer.id))]
    book = book_of_session(workshop)
    agreed = [{"wat": a.what, "wie": who_label(a.who, role_label), "wanneer": a.by_when,
               "meldroute": book.routes[a.meldroute].title
               if a.meldroute in book.routes else ""} for a in agreements(workshop)]
    return Report(workshop.title, workshop.code, clock.date_time(workshop.created_at),
                  clock.date_time(workshop.ended_at) or None, items, parking, agreed,
                  answers, workshop.rehearsal)


def scene_results(workshop: Workshop, index: int, story: Story) -> list[SceneResult]:
    """The totals of "Wat zie jij?" per scene that the room marked (no participant, only counts)."""
    results = []
    for scene in story.scenes:
        counts, markers = queries.marks(workshop.id, index, scene.number)
        if not markers:
            continue
        text = {p.key: plain(p.html) for p in scene.passages}
        signals = {s.passage for s in scene.signals}
        results.append(SceneResult(scene.title, markers, [(text[s.passage], counts[s.passage]) for s in scene.signals],
                                   [(text[key], n) for key, n in counts.items() if key not in signals and key in text]))
    return results


def plain(text: str) -> str:
    """The words of a rendered passage: without tags, and with `&amp;` and the like back as characters."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(text)))


def option_name(step: StepResult, option: int) -> str:
    return "Pas" if option == PASS else f"{LETTERS[option - 1]}. {step.options[option - 1]}"


def option_numbers(step: StepResult) -> list[int]:
    """The options of a step as they are counted: 1 to 4, then pass."""
    return [*range(1, len(step.options) + 1), PASS]


REHEARSAL_NOTE = "Oefensessie: telt nergens mee. De stemmen en antwoorden komen van nagespeelde deelnemers."


def markdown(report: Report) -> str:
    """The report as Markdown, every text escaped so that it shows as typed and cannot add markup."""
    return render_text("workshops/report.md", report=report, rehearsal_note=REHEARSAL_NOTE, option_name=option_name, option_numbers=option_numbers)


def csv_text(report: Report) -> str:
    """The vote distributions, one row per option per round.

    Written as Excel in the Netherlands opens it with a double click: a semicolon between columns (the
    Dutch list separator) and a byte-order mark, so that é and ë stay letters.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    if report.rehearsal:
        writer.writerow([REHEARSAL_NOTE])
    writer.writerow(["onderdeel", "stap", "ronde", "optie", "stemmen", "gevolgd"])
    for item in report.items:
        for step in item.steps:
            for round_, counts in sorted(step.rounds.items()):
                for option in option_numbers(step):
                    writer.writerow([item.title, step.title, round_, option_name(step, option),
                                     counts.get(option, 0), "ja" if option == step.followed else ""])
    return out.getvalue()
