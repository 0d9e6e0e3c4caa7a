"""The one-page summary for management: reach, and per card and story how many took part and what they saw.

Every number is the one the card's or story's own page shows (the same suppressed tables), so the summary
gives nothing away that those pages hide. The cards are counted together in two grouped queries (all
cards' votes at once, all cards' walks at once); the stories one by one (a library has a handful).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func, select

from ..content import Library
from ..models import DilemmaWalk, User, Vote, db
from .figures import REST, Period, StepFigures, agenda_items, card_figures, in_period
from .signals import SceneSignals, story_marks, story_signals
from .suppression import Figure


@dataclass(frozen=True)
class CardLine:
    title: str
    slug: str
    first_step: StepFigures
    origin: str = ""  # whose the card is, when it comes from the shared library


@dataclass(frozen=True)
class StoryLine:
    title: str
    slug: str
    first_scene: SceneSignals
    our_share: float | None
    everyone_share: float | None
    origin: str = ""


def card_lines(organisation_id: int, library: Library, span: Period) -> list[CardLine]:
    """Per card anyone chose at: its first step's figures, as on the card's page."""
    firsts = {slug: next(iter(card.steps)) for slug, card in library.dilemmas.items() if card.steps}
    items = agenda_items("dilemma", None, span)
    votes: dict[str, Counter] = defaultdict(Counter)
    for ref, step, org, option, n in db.session.execute(
            select(items.c.ref, Vote.step, items.c.org, Vote.option, func.count())
            .select_from(Vote).join(items, and_(items.c.workshop_id == Vote.workshop_id, items.c.item == Vote.item))
            .where(Vote.round == 1, Vote.step.in_(set(firsts.values())))
            .group_by(items.c.ref, Vote.step, items.c.org, Vote.option)):
        if firsts.get(ref) == step:
            votes[ref][(step, org, option, REST)] += n
    walks: dict[str, Counter] = defaultdict(Counter)
    for (slug, decision), (n, ours) in first_choices(organisation_id, span).items():
        if decision is not None:
            step, option = json.loads(decision)
            if firsts.get(slug) == step:
                walks[slug][(step, organisation_id, option, REST)] += ours
                walks[slug][(step, None, option, REST)] += n - ours  # the others, anonymous walkers too
    lines = []
    for card in sorted(library.dilemmas.values(), key=lambda card: card.title):
        if votes[card.slug] or walks[card.slug]:
            steps = card_figures(organisation_id, card, span, "", (votes[card.slug], walks[card.slug]), first_only=True)
            lines.append(CardLine(card.title, card.slug, steps[0], card.origin))
    return lines


def first_choices(organisation_id: int, span: Period) -> dict[tuple[str, str | None], tuple[int, int]]:
    """(card, first decision as JSON text) -> (walks in the span, of them by the organisation's people).

    One pass in the order of the index on (first choice, card, walker, start), which holds all it needs, so no walk
    is read and nothing is sorted (SQLite); the organisation's share is a filtered count, not a grouping by
    organisation (that would sort all walks, and join them with their walkers)."""
    ours = DilemmaWalk.user_id.in_(select(User.id).where(User.organisation_id == organisation_id))
    rows = db.session.execute(
        select(DilemmaWalk.dilemma, DilemmaWalk.first_choice, func.count(), func.count().filter(ours))
        .where(*in_period(DilemmaWalk.started_at, span)).group_by(DilemmaWalk.dilemma, DilemmaWalk.first_choice))
    return {(slug, decision): (n, mine) for slug, decision, n, mine in rows}


def story_lines(organisation_id: int, library: Library, span: Period) -> list[StoryLine]:
    """Per story anyone marked: its first scene's figures as on the story's page, and the share of all its
    signals seen where the number of people it rests on is shown."""
    items = agenda_items("verhaal", None, span)
    read = set(db.session.scalars(select(items.c.ref).distinct()))  # one look at the agendas, not one per story
    lines = []
    for story in sorted(library.stories.values(), key=lambda story: story.title):
        if not story.scenes:
            continue
        marks = story_marks(story, span, in_sessions=story.slug in read)
        if not any(marks):
            continue
        first = story_signals(organisation_id, story, span, "", marks)[0]
        signals = {scene.number: len(scene.signals) for scene in story.scenes}
        seen, chances = Counter(), Counter()
        for found in marks:
            for (scene, org, _), (count, picked) in found.items():
                for side in ("ours", "all") if org == organisation_id else ("all",):
                    seen[side] += sum(picked.values())
                    chances[side] += count * signals.get(scene, 0)
        lines.append(StoryLine(story.title, story.slug, first,
                               shared(seen["ours"], chances["ours"], first.teams.our_total, first.alone.our_total),
                               shared(seen["all"], chances["all"], first.teams.total, first.alone.total), story.origin))
    return lines


def shared(seen: int, chances: int, *people: Figure) -> float | None:
    """A share, only where every count of people it rests on is shown and together they are some."""
    if not chances or not all(figure.shown for figure in people) or not sum(figure.value for figure in people):
        return None
    return seen / chances
