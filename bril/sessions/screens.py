"""The three screens of a room (phone, projector, console) rendered from its moment, once per version.

One rendering serves everyone who sees the same thing, so forms in it carry the placeholder
`__CSRF__`, which the page (or live.js) replaces by the viewer's own form token.
"""
from __future__ import annotations

import json
import time

from flask import current_app, render_template

from ..libraries import session_library
from . import console
from .cache import VersionCache
from .forms import AgreementForm, ParkingForm
from .moment import Moment
from .queries import answer_count, recent_answers, roster

VIEWS = ("deelnemer", "scherm", "console")
# The kinds of change each view shows (see broker.py).
# The projector hears joins and parked questions too: its lobby counts who joined.
VIEW_KINDS = {"deelnemer": frozenset({"state"}), "scherm": frozenset({"state", "votes", "console"}),
              "console": frozenset({"state", "votes", "console"})}


def rendered() -> VersionCache[str]:
    return current_app.extensions.setdefault("bril.views", VersionCache(256))


def render_view(moment: Moment, view: str, role: str | None = None, agreement: AgreementForm | None = None) -> str:
    """The live part of a view as HTML.

    The phones' view is kept per version: a thousand phones, one rendering. The console and the
    projector (a few screens) are rendered fresh, because they also show what changes without a new
    version: who joined, answers in the question round and their "ik ook". The console's forms are empty
    unless `agreement` brings one that was refused (a page without script), with what was typed.
    """
    def render() -> str:
        fresh = view != "deelnemer" and moment.asking
        return render_template(
            f"live/_{view}.html", m=moment, view=view, role=role, content=session_library(moment.workshop_id),
            roster=roster(moment.workshop_id) if view == "console" else (), primary=console.primary(moment.situation),
            controls=console.controls(moment.situation), tools=console.tools(moment.situation),
            agreement=(agreement or empty(AgreementForm, book=moment.book)) if view == "console" else None,
            parking=empty(ParkingForm) if view == "console" else None,
            recent=recent_answers(moment.workshop_id, moment.item_index, shown_only=view == "scherm",
                                  by_support=moment.by_support) if fresh else (),
            answer_count=answer_count(moment.workshop_id, moment.item_index) if fresh else moment.answer_count)

    if view != "deelnemer":
        return render()
    return rendered().get((moment.workshop_id, moment.version, view, role), render)


def empty(form_class, **kwargs):
    """A form for a shared rendering: no data from the request, no token (the page puts in its own)."""
    return form_class(formdata=None, meta={"csrf": False}, **kwargs)


def stand(moment: Moment, view: str, role: str | None, count: int) -> dict:
    """The `stand` of a view: what the stream sends after a change and polling returns."""
    body = {"versie": moment.version, "html": render_view(moment, view, role), "afgelopen": moment.ended,
            "nu": time.time()}
    if view != "deelnemer":
        body["stemmen"] = count
        body["vers"] = True  # rendered fresh: may replace a screen of the same version (new answers)
    return body


def stand_event(moment: Moment, view: str, role: str | None) -> str:
    """The `stand` event for phones, serialised once per version and role: a thousand phones, one JSON."""
    key = ("event", moment.workshop_id, moment.version, view, role)
    return rendered().get(key, lambda: sse("stand", {"versie": moment.version, "afgelopen": moment.ended,
                                                     "html": render_view(moment, view, role)}))


def sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
