"""The projector's pages: a moment too long for one screen is split into pages, never scrolled.

Type on the projector scales with the screen height, and screen.js shrinks it down to 77 % when a
moment is long. Beyond that, the ending of a card and the signals of a scene are split into pages of
whole blocks (a signal with its explanation, the list of what to do, the privacy note), which the
facilitator steps through with → like any other moment. The budget is characters of text per page,
measured against every card and story at 1280×720 by tests/browser/test_projector_fit.py.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from markupsafe import Markup

from ..content import Dilemma
from ..content.dilemmas import Ending
from ..content.routes import Choice
from ..content.meldroutes import MeldrouteBook
from ..content.stories import Scene

PAGE_BUDGET = 1400  # characters of text on one projector page in one column
GRID_BUDGET = 1800  # the ending's second part stands in two columns: what to do and who, beside privacy
BLOCK_COST = 120  # what a block costs beyond its text: its heading, margins and the last half-filled line
LINE_COST = 50  # and each list item or paragraph in it: its own half-filled last line and margin
EXTRA_SENTENCES = 5  # "also marked, but not a signal": the room discusses the most marked ones

Sheets = tuple[tuple[str, ...], ...]


def cost(*texts: object) -> int:
    """The room a block takes on the projector, in characters."""
    return BLOCK_COST + sum(LINE_COST + len(Markup(str(text)).striptags()) for text in texts if text)


def pack(blocks: Sequence[tuple[str, int]], budget: int = PAGE_BUDGET) -> Sheets:
    """Names of blocks, in order, packed into pages within the budget; a block longer than a page stands alone."""
    pages: list[list[str]] = [[]]
    used = 0
    for name, size in blocks:
        if pages[-1] and used + size > budget:
            pages.append([])
            used = 0
        pages[-1].append(name)
        used += size
    return tuple(tuple(page) for page in pages)


def ending_sheets(reflection: Markup, route: Sequence[str], actions: Sequence[Markup], routes: Sequence[str],
                  avg: Markup | None) -> Sheets:
    """How it ended and the group's route first; what to do, who to turn to and privacy after, on their own page."""
    first = pack([("verloop", cost(reflection)), ("route", cost(*route))])
    second = pack([(name, size) for name, size, present in (
        ("doen", cost(*actions), bool(actions)), ("wie", cost(*routes), bool(routes)), ("avg", cost(avg), bool(avg)))
        if present], GRID_BUDGET)
    return first + (second if second != ((),) else ())


def signal_sheets(signals: Sequence[tuple[Markup, Markup]], extra: Sequence[str]) -> Sheets:
    """Each signal with how many saw it; the sentences marked that are no signal at the end."""
    blocks = [(f"signaal-{number}", cost(passage, explanation)) for number, (passage, explanation) in enumerate(signals)]
    if extra:
        blocks.append(("extra", cost(*extra[:EXTRA_SENTENCES])))
    return pack(blocks)


def for_ending(card: Dilemma, ending: Ending, route: Sequence[Choice], book: MeldrouteBook) -> Sheets:
    routes = [book.routes[key].title for key in card.meldroutes if key in book.routes]
    return ending_sheets(ending.reflection, [choice.option.label for choice in route], card.actions, routes, card.avg)


def extra_marked(scene: Scene, counts: Counter) -> tuple[tuple[Markup, int], ...]:
    """The sentences marked that are no signal, most marked first (in reading order when equal)."""
    signals = {signal.passage for signal in scene.signals}
    found = [(passage.html, counts[passage.key]) for passage in scene.passages
             if counts[passage.key] and passage.key not in signals]
    return tuple(sorted(found, key=lambda pair: -pair[1]))


def for_signals(scene: Scene, counts: Counter) -> Sheets:
    passages = {passage.key: passage.html for passage in scene.passages}
    return signal_sheets([(passages[signal.passage], signal.explanation) for signal in scene.signals],
                         [text for text, _ in extra_marked(scene, counts)])
