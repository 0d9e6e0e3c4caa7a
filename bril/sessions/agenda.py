"""The agenda of a team session: typed items, one set of Dutch labels, one way to describe an item.

Plans and sessions store their agenda as JSON (a list of dicts, in Dutch keys, as it always was);
everything else reads it through `AgendaItem`, so the keys are spelled in one place only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..content import Library

KINDS = {
    "welkom": "Welkom en kennismaking",
    "verhaal": "Een verhaal lezen",
    "dilemma": "Een dilemmakaart",
    "afsluiting": "Afsluitende ronde",
    "afspraken": "Afspraken maken",
}
DEFAULT_MINUTES = {"welkom": 10, "verhaal": 20, "dilemma": 45, "afsluiting": 10, "afspraken": 15}
# What the room sees during the items without a story or card.
ROOM_TEXTS = {
    "welkom": "Welkom! Doe mee met de code op het scherm. Kies een bijnaam en, als je wilt, je rol. "
              "Alles wat je stemt is anoniem.",
    "afsluiting": "Afsluitende ronde: wat neem je mee uit deze sessie? Wat ga je morgen anders doen?",
    "afspraken": "We maken afspraken: wat doen we, wie (welke rol) doet het, wanneer, en waar hoort het "
                 "signaal (Wie is hiervan?).",
}


@dataclass(frozen=True)
class AgendaItem:
    """One part of a session: a welcome, a story (some of its scenes), a dilemma card or a closing round."""

    kind: str
    minutes: int = 0
    ref: str | None = None
    scenes: tuple[int, ...] = field(default_factory=tuple)
    # The published version of an organisation's own story or card (None: a bundled one), so that a plan
    # and the sessions started from it keep playing the text they were made with (bril/libraries.py).
    version: int | None = None

    @classmethod
    def from_json(cls, data: dict) -> AgendaItem:
        return cls(kind=data.get("soort", "welkom"), minutes=int(data.get("minuten") or 0), ref=data.get("ref"),
                   scenes=tuple(data.get("scenes") or ()), version=data.get("versie"))

    def to_json(self) -> dict:
        data: dict = {"soort": self.kind, "minuten": self.minutes}
        if self.ref is not None:
            data["ref"] = self.ref
        if self.version is not None:
            data["versie"] = self.version
        if self.kind == "verhaal":
            data["scenes"] = list(self.scenes)
        return data

    @property
    def is_story(self) -> bool:
        return self.kind == "verhaal"

    @property
    def is_card(self) -> bool:
        return self.kind == "dilemma"

    @property
    def room_text(self) -> str:
        return ROOM_TEXTS.get(self.kind, "")

    def describe(self, content: Library, short: bool = False) -> str:
        """The item in a few Dutch words, e.g. `Verhaal: Jeffrey (scène 1, 2)`."""
        if self.is_story and self.ref in content.stories:
            story = content.stories[self.ref]
            if short or len(self.scenes) in (0, len(story.scenes)):
                which = "" if short else " (alle scènes)"
            else:
                which = " (scène " + ", ".join(map(str, self.scenes)) + ")"
            return f"Verhaal: {story.title}{which}"
        if self.is_card and self.ref in content.dilemmas:
            return f"Dilemmakaart: {content.dilemmas[self.ref].title}"
        return KINDS.get(self.kind, self.kind)

    def origin_in(self, content: Library) -> str:
        """Whose the story or card this item plays is, when it comes from the shared library; empty otherwise."""
        found = (content.stories.get(self.ref) if self.is_story else content.dilemmas.get(self.ref) if self.is_card
                 else None)
        return found.origin if found is not None else ""


WELCOME = AgendaItem("welkom")


def items(agenda: list[dict]) -> list[AgendaItem]:
    """The typed items of an agenda stored as JSON."""
    return [AgendaItem.from_json(data) for data in agenda]


@dataclass(frozen=True)
class PlannedItem:
    """An agenda item as the plan page shows it: what it is, and whether it has the time its card asks for."""

    item: AgendaItem
    description: str
    advised: int | None  # the minutes the card's Leeswijzer asks for, if it is a card
    origin: str = ""  # the organisation that shared the card or story, shown beside it (bril/libraries.py)

    @property
    def too_short(self) -> bool:
        return self.advised is not None and self.item.minutes < self.advised


@dataclass(frozen=True)
class AgendaReview:
    rows: tuple[PlannedItem, ...]

    @property
    def total(self) -> int:
        return sum(row.item.minutes for row in self.rows)

    @property
    def short(self) -> tuple[PlannedItem, ...]:
        return tuple(row for row in self.rows if row.too_short)


def review_agenda(agenda: list[AgendaItem], content: Library) -> AgendaReview:
    """The agenda with each card's advised time from its Leeswijzer, to warn before the session runs late."""
    return AgendaReview(tuple(
        PlannedItem(item, item.describe(content),
                    content.dilemmas[item.ref].leeswijzer.minutes
                    if item.is_card and item.ref in content.dilemmas else None,
                    item.origin_in(content))
        for item in agenda))


def duration(minutes: int) -> str:
    """Minutes in words a planner reads at a glance: `1 uur en 45 minuten`."""
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours} uur"] if hours else []) + ([f"{rest} {'minuut' if rest == 1 else 'minuten'}"] if rest else [])
    return " en ".join(parts) or "0 minuten"
