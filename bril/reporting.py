"""Each organisation's own "Wie is hiervan?": the routes its readers, cards and session reports point to.

An organisation that never edited its routes reads `wie-is-hiervan.yaml`, the template. Edited routes
are kept in the fields of that file and checked by the same code (content/meldroutes.py), so a route
saved in the browser is valid exactly when it would be valid in the file.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from flask import current_app

from .content.meldroutes import MeldrouteBook, parse_meldroutes
from .content.problems import Problem, Problems
from .extensions import library
from .models import Organisation, ReportingRoutes, Workshop, User, db
from .tenancy import reader_organisation

_books: dict[tuple[int, Any], MeldrouteBook] = {}


def template() -> dict:
    """The file's fields, as a new organisation starts from them."""
    path = Path(current_app.config["MELDROUTE_FILE"])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {"inleiding": data.get("inleiding") or "", "routes": data.get("routes") or []}


def fields_of(organisation: int) -> dict:
    """An organisation's routes as editable fields: its own, or the template's."""
    own = db.session.get(ReportingRoutes, organisation)
    return {"inleiding": own.introduction, "routes": own.routes} if own else template()


def check(organisation: Organisation, fields: dict) -> tuple[MeldrouteBook | None, list[Problem]]:
    """Check routes as the file is checked; the book, or the problems."""
    problems = Problems()
    text = yaml.safe_dump({"organisatie": organisation.name, **fields}, allow_unicode=True, sort_keys=False)
    book = parse_meldroutes(text, Path(f"meldroutes van {organisation.slug}"), problems)
    return (book if not problems else None), problems.items


def save(organisation: Organisation, fields: dict) -> list[Problem]:
    """Store an organisation's routes when they pass the check; the problems otherwise (nothing stored)."""
    _, problems = check(organisation, fields)
    if problems:
        return problems
    own = db.session.get(ReportingRoutes, organisation.id)
    if own is None:
        own = ReportingRoutes(organisation_id=organisation.id)
        db.session.add(own)
    own.introduction, own.routes = fields["inleiding"], fields["routes"]
    db.session.commit()
    return []


def book_for(organisation_id_: int | None) -> MeldrouteBook:
    """The routes an organisation's readers see; the template's for no organisation."""
    organisation = db.session.get(Organisation, organisation_id_) if organisation_id_ else None
    own = db.session.get(ReportingRoutes, organisation_id_) if organisation_id_ else None
    if own is None:
        book = library().meldroutes
        return MeldrouteBook(organisation.name, book.introduction, book.routes, example=True) if organisation else book
    key = (organisation.id, own.updated_at, organisation.name)
    if key not in _books:
        found, _ = check(organisation, {"inleiding": own.introduction, "routes": own.routes})
        _books[key] = found or library().meldroutes
    return _books[key]


def book_here() -> MeldrouteBook:
    """The routes of the reader's organisation (see tenancy.reader_organisation)."""
    found = reader_organisation()
    return book_for(found.id if found else None)


def book_of_session(workshop: Workshop) -> MeldrouteBook:
    """The routes of the organisation whose facilitator runs the session."""
    owner = db.session.get(User, workshop.owner_id)
    return book_for(owner.organisation_id if owner else None)
