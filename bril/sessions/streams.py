"""One live stream: the state at once, then every change the view shows, a ping every few seconds.

A thousand streams woken by one change all ask for the same announced version: the first in each
worker builds the event, the rest reuse it without touching the database (see moment.moment_at).
"""
from __future__ import annotations

import time
from typing import Iterator

from flask import Flask

from ..libraries import session_library
from ..models import Workshop, db
from . import broker
from .moment import Moment, answers_now, moment_at, moment_for
from .screens import VIEW_KINDS, sse, stand, stand_event

KEEPALIVE_SECONDS = 5
RETRY_MILLISECONDS = 1000  # how soon EventSource reconnects after the stream ends (a restart)
BURST_SECONDS = 0.05  # changes that arrive this close together become one update
# Answers, "ik ook" and parked questions re-render the console and the projector without a new version.
# A hall answering at once would re-render them hundreds of times a second on the worker that also
# takes the answers; a few times a second is as fast as a room reads.
ROOM_TALK_SECONDS = 0.3
# All that building links needs (scheme, host, path prefix): a stream lives for an hour and there may
# be thousands, so it does not keep the whole request with its headers, cookies and session.
LINK_ENVIRON = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")


def follow(app: Flask, environ: dict, workshop_id: int, view: str, role: str | None,
           participant_id: int | None) -> Iterator[str]:
    """The events of one view of one session, until the client leaves or the worker stops."""
    context = app.request_context({**{key: environ[key] for key in LINK_ENVIRON if key in environ},
                                   "REQUEST_METHOD": "GET", "PATH_INFO": "/"})
    context.push()
    subscription = broker.subscribe(workshop_id, VIEW_KINDS[view])
    first, announced = f"retry: {RETRY_MILLISECONDS}\n", None
    try:
        while True:
            moment = current(workshop_id, announced)
            announced = max(announced or 0, moment.version)
            if participant_id in moment.removed_ids:
                yield first + sse("stand", {"verwijderd": True})
                return
            yield first + event(moment, view, role)
            first = ""
            if participant_id is not None and moment.speaker_id == participant_id:
                # The shared event names nobody; only this phone hears that its owner was chosen to speak.
                yield sse("persoonlijk", {"versie": moment.version, "gekozen": True})
            while True:
                message = subscription.get(KEEPALIVE_SECONDS)
                if message is None:
                    yield sse("ping", {"t": time.time()})
                    continue
                messages = [message, *subscription.drain(BURST_SECONDS)]
                if broker.CLOSING not in messages and all(kind != "state" for kind, _ in messages) \
                        and any(kind == "console" for kind, _ in messages):
                    messages += subscription.drain(ROOM_TALK_SECONDS)
                if broker.CLOSING in messages:
                    return
                if any(kind != "votes" for kind, _ in messages):
                    # Never back: an answer announced a moment ago may name a version the room has left.
                    announced = max(announced, *(version for kind, version in messages if kind != "votes"))
                    break  # the state changed, or the room talked: send the new one
                yield counts(workshop_id)
    finally:
        subscription.close()
        db.session.remove()
        context.pop()


def current(workshop_id: int, announced: int | None) -> Moment:
    """The moment of the announced version, or on connecting the current one."""
    try:
        if announced is not None:
            return moment_at(workshop_id, announced, session_library(workshop_id))
        return moment_for(db.session.get(Workshop, workshop_id), session_library(workshop_id))
    finally:
        db.session.remove()


def event(moment: Moment, view: str, role: str | None) -> str:
    """The `stand` event: for phones shared by everyone with the same role, for the rest with fresh counts."""
    if view == "deelnemer":
        return stand_event(moment, view, role)
    try:
        return sse("stand", stand(moment, view, role, answers_now(moment)))
    finally:
        db.session.remove()


def counts(workshop_id: int) -> str:
    """The `stemmen` event: votes came in at the current step."""
    try:
        moment = moment_for(db.session.get(Workshop, workshop_id), session_library(workshop_id))
        return sse("stemmen", {"versie": moment.version, "stemmen": answers_now(moment)})
    finally:
        db.session.remove()
