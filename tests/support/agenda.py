"""A session plan's agenda as it is stored (JSON), one helper per kind of item, so that tests do not spell it out."""
from __future__ import annotations

from support.library import CARD, STORY


def welcome(minutes: int = 5) -> dict:
    return {"soort": "welkom", "minuten": minutes}


def story(ref: str = STORY, scenes: list[int] | tuple[int, ...] = (1, 2), minutes: int = 15) -> dict:
    return {"soort": "verhaal", "ref": ref, "scenes": list(scenes), "minuten": minutes}


def card(ref: str = CARD, minutes: int = 30) -> dict:
    return {"soort": "dilemma", "ref": ref, "minuten": minutes}


def closing(minutes: int = 10) -> dict:
    return {"soort": "afsluiting", "minuten": minutes}


def agreements(minutes: int = 10) -> dict:
    return {"soort": "afspraken", "minuten": minutes}


def team_morning() -> list[dict]:
    """The agenda most session tests run: a welcome, two scenes of the fixture story, the fixture card and the
    agreements."""
    return [welcome(5), story(STORY, (1, 2), 15), card(CARD, 30), agreements(10)]
