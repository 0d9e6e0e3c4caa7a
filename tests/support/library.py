"""The content a test app serves: parsed once per test run and frozen, so that every app can share it.

Parsing all bundled cards takes about half a second; a test run makes hundreds of apps. So the run parses each
library once (a session fixture in conftest.py) and hands it to each app through the `LIBRARY` config key. Sharing
one object between tests is only safe when no test can change it: the dataclasses are frozen and their sequences
tuples already, and `freeze` replaces every dict inside by a `ReadOnlyDict`, which still is a dict for every reader.
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any

from app import ROOT
from bril.content import Library, format_report, load_library

TESTS = Path(__file__).resolve().parent.parent
# The small library written for the tests: every functional test uses it, so that an edit of the bundled stories
# and cards never breaks a test of the code.
FIXTURES = TESTS / "content" / "library"
# The fixture story and card most tests walk through: a story of three scenes with signals, and a card of three
# steps with three options at the start, puzzle pieces for three roles, prompts, a kader and endings of each outcome.
STORY = "ruben"
CARD = "bankpas"


@dataclasses.dataclass(frozen=True)
class ContentSource:
    """Where a library's files are: the app config that names them, and the parsed library."""

    stories: Path
    dilemmas: Path
    meldroutes: Path

    @property
    def config(self) -> dict[str, Any]:
        return {"STORIES_DIR": self.stories, "DILEMMAS_DIR": self.dilemmas, "MELDROUTE_FILE": self.meldroutes}

    @functools.cache
    def load(self) -> Library:
        """The library, parsed and frozen at its first use in this process and the same object after."""
        library, problems = load_library(self.stories, self.dilemmas, self.meldroutes, ROOT)
        assert library is not None, format_report(problems)
        return freeze(library)


FIXTURE_CONTENT = ContentSource(FIXTURES / "stories", FIXTURES / "dilemmas", FIXTURES / "wie-is-hiervan.yaml")
BUNDLED_CONTENT = ContentSource(ROOT / "stories", ROOT / "dilemmas", ROOT / "wie-is-hiervan.yaml")


class ReadOnlyDict(dict):
    """A dict that refuses every change: a test that tries to alter the shared library fails at once."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("de gedeelde inhoud van de tests is alleen-lezen")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> dict:
        return dict(self)

    def __deepcopy__(self, memo) -> dict:
        import copy
        return {copy.deepcopy(key, memo): copy.deepcopy(value, memo) for key, value in self.items()}

    def __reduce__(self):
        return dict, (dict(self),)


def freeze(value: Any) -> Any:
    """The same value with every dict inside made read-only and every list a tuple; frozen dataclasses are
    rebuilt in place (their fields are set once, here, before anyone shares them)."""
    if isinstance(value, dict):
        return ReadOnlyDict({key: freeze(item) for key, item in value.items()})
    if type(value) in (list, tuple):
        return tuple(freeze(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            object.__setattr__(value, field.name, freeze(getattr(value, field.name)))
        return value
    return value


def route_to(card, step_id: str) -> list[list]:
    """The shortest route of decisions ([step, option number] pairs) from the card's start to `step_id`."""
    routes = {card.start: []}
    queue = [card.start]
    while queue and step_id not in routes:
        node = queue.pop(0)
        for option in card.steps[node].options:
            if option.target in card.steps and option.target not in routes:
                routes[option.target] = [*routes[node], [node, option.number]]
                queue.append(option.target)
    assert step_id in routes, f"geen route naar {step_id}"
    return routes[step_id]
