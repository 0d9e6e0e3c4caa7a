"""Whose content is it: the library an organisation sees is the bundled library plus its own published,
not withdrawn, cards and stories. One function gives it (`library_for`), and self-study, plans and
sessions all read through it.

A request never parses content: a published version's text never changes, so each is parsed once per
process (by its id); an organisation's library is built once per `Organisation.content_version`, the
number that publishing and withdrawing raise. A plan or session names the version of an own card or story
it was made with; `library_for(..., pins)` gives the library with exactly those versions in it.

The shared library (bril/sharing/): a version another organisation offered and the platform accepted is in
every other organisation's library under `<organisation's short name>--<its own name>`. Bundled and own names
match `content.fields.SLUG`, which never allows two dashes in a row, and short names of organisations are
unique, so a shared name can clash with neither. A shared card or story may refer only to what every
organisation has (bundled cards and stories, the template's "Wie is hiervan?" keys); it is parsed with exactly
those names, so the check at offering and the library agree. Its origin (the offering organisation's name, kept
on the offer) is a field of the parsed item, shown beside its title where a library lists or opens it ("Van
Gemeente X"); the title stays the author's own. Plans pin a shared version like an own one.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import NamedTuple
from pathlib import Path

from flask import current_app, g, has_request_context
from markupsafe import Markup
from sqlalchemy import select

from .content import Dilemma, Library, Story
from .content.problems import Problems, format_report
from .content.single import DILEMMA, FOLDERS, STORY, parse_text
from .extensions import library
from .sessions.agenda import AgendaItem
from .models import Organisation, Publication, ReportingRoutes, SharedOffer, ShareState, User, Workshop, db
from .tenancy import reader_organisation

Pins = Mapping[tuple[str, str], int]  # (kind, slug) → the version number a plan or session plays
SHARED_MARK = "--"  # between an organisation's short name and its card's own name; no other name has it


def _cache(name: str) -> dict:
    """A cache kept on the app (each app its own: tests run many apps on databases that reuse ids)."""
    return current_app.extensions.setdefault(f"bril.{name}", {})


def route_keys(organisation_id: int | None) -> set[str]:
    """The "Wie is hiervan?" keys an organisation's content may point to: its own routes once it set them,
    the template's (wie-is-hiervan.yaml) until then, as its readers see them (reporting.book_for)."""
    own = db.session.get(ReportingRoutes, organisation_id) if organisation_id else None
    if own is None:
        return set(library().meldroutes.routes)
    return {route.get("sleutel") for route in own.routes if isinstance(route, dict) and route.get("sleutel")}


def own_slugs(organisation_id: int, kind: str) -> set[str]:
    """The names of every card or story an organisation ever published (withdrawn ones too)."""
    return set(db.session.scalars(select(Publication.slug).distinct().where(
        Publication.organisation_id == organisation_id, Publication.kind == kind)))


def parsed(publication: Publication) -> Story | Dilemma:
    """A published version, parsed once per process: its text never changes."""
    cache = _cache("publications")
    if publication.id not in cache:
        organisation = publication.organisation_id
        problems = Problems()
        path = Path(FOLDERS[publication.kind]) / f"{publication.slug}.md"
        # Any name the organisation ever used may be referred to: withdrawing one card must not break
        # the stories that name it (the library only lists what is there).
        _, item = parse_text(publication.text, path, problems, kind=publication.kind, slug=publication.slug,
                             stories=set(library().stories) | own_slugs(organisation, STORY),
                             dilemmas=set(library().dilemmas) | own_slugs(organisation, DILEMMA),
                             meldroutes=route_keys(organisation))
        if item is None:  # it passed every check when it was published; the checks must have changed since
            raise RuntimeError(f"gepubliceerde versie {publication.id} is niet meer geldig:\n"
                               + format_report(problems.items))
        cache[publication.id] = item
    return cache[publication.id]


def remember(publication: Publication, item: Story | Dilemma) -> None:
    """Keep what a version parsed to when it was published, so the library never parses it again."""
    _cache("publications")[publication.id] = item


def latest_versions(organisation_id: int) -> list[Publication]:
    """The newest version of each of an organisation's own cards and stories that is not withdrawn."""
    rows = db.session.scalars(select(Publication).where(
        Publication.organisation_id == organisation_id, Publication.withdrawn.is_(False))
        .order_by(Publication.kind, Publication.slug, Publication.number))
    return list({(row.kind, row.slug): row for row in rows}.values())


def _merged(base: Library, items: list[Story | Dilemma]) -> Library:
    """The bundled library with an organisation's own items added, in title order."""
    stories = dict(base.stories) | {i.slug: i for i in items if isinstance(i, Story)}
    dilemmas = dict(base.dilemmas) | {i.slug: i for i in items if isinstance(i, Dilemma)}
    by_title = lambda found: dict(sorted(found.items(), key=lambda item: item[1].title.lower()))  # noqa: E731
    return Library(by_title(stories), by_title(dilemmas), base.meldroutes)


def library_for(organisation_id: int | None, pins: Pins | None = None) -> Library:
    """The library an organisation sees (the bundled one for none): the bundled library, its own newest
    versions and the shared library's; with pins, those versions of own and shared items instead."""
    if not organisation_id:
        return library()
    version = db.session.scalar(select(Organisation.content_version).where(Organisation.id == organisation_id))
    shared = tuple(shared_versions(organisation_id))
    if not version and not shared and not pins:  # nothing of its own, nothing shared: the bundled library
        return library()
    libraries = _cache("libraries")
    key = (organisation_id, version, shared)
    if key not in libraries:
        own = [parsed(row) for row in latest_versions(organisation_id)] if version else []
        libraries[key] = _merged(library(), own + shared_items(shared))
    found = libraries[key]
    if not pins:
        return found
    pinned = _cache("pinned")
    pin_key = (key, tuple(sorted(pins.items())))
    if pin_key not in pinned:
        pinned[pin_key] = _merged(found, pinned_items(organisation_id, pins))
    return pinned[pin_key]


def pinned_items(organisation_id: int, pins: Pins) -> list[Story | Dilemma]:
    """Exactly the versions a plan or session names: the organisation's own, and shared ones that were once
    accepted (withdrawn since or not: what a plan was made with, it keeps)."""
    rows = db.session.scalars(select(Publication).where(Publication.organisation_id == organisation_id))
    items = [parsed(row) for row in rows if pins.get((row.kind, row.slug)) == row.number]
    wanted = [(kind, slug.split(SHARED_MARK, 1), number) for (kind, slug), number in pins.items()
              if SHARED_MARK in slug]
    for kind, (short_name, slug), number in wanted:
        found = db.session.execute(
            select(Publication.id, Publication.organisation_id, Organisation.slug, SharedOffer.origin,
                   Publication.kind, Publication.slug, Publication.number)
            .join(Organisation, Organisation.id == Publication.organisation_id)
            .join(SharedOffer, SharedOffer.publication_id == Publication.id)
            .where(Organisation.slug == short_name, Publication.kind == kind, Publication.slug == slug,
                   Publication.number == number, SharedOffer.accepted_at.is_not(None))).first()
        if found is not None:
            items += shared_items([SharedVersion(*found)])
    return items


def library_here() -> Library:
    """The library of the reader's organisation (see tenancy.reader_organisation), looked up once a request."""
    if not has_request_context():  # no reader: a command or a test of a rule
        return library()
    if "bril_library" not in g:
        found = reader_organisation()
        g.bril_library = library_for(found.id if found else None)
    return g.bril_library


def version_of(organisation_id: int | None, kind: str, slug: str) -> int | None:
    """The newest live version number of an organisation's own card or story, or of a shared one it sees;
    None for a bundled one."""
    if not organisation_id:
        return None
    if SHARED_MARK in slug:
        return next((row.number for row in shared_versions(organisation_id)
                     if (row.kind, row.shared_slug) == (kind, slug)), None)
    return db.session.scalar(select(Publication.number).where(
        Publication.organisation_id == organisation_id, Publication.kind == kind, Publication.slug == slug,
        Publication.withdrawn.is_(False)).order_by(Publication.number.desc()).limit(1))


def pins_of(agenda: list[dict]) -> dict[tuple[str, str], int]:
    """The versions an agenda (of a plan or a session) names: {(kind, slug): number}."""
    return {(item["soort"], item["ref"]): int(item["versie"]) for item in agenda
            if item.get("versie") and item.get("ref") and item.get("soort") in (STORY, DILEMMA)}


def session_library(workshop_id: int) -> Library:
    """The library a session plays: the bundled one with the versions of its organisation's own cards and
    stories that its agenda was made with. An agenda never changes once the session started, so this is
    worked out once per process and session: the live room's hot paths never ask the database for it."""
    sessions = _cache("sessions")
    if workshop_id not in sessions:
        workshop = db.session.get(Workshop, workshop_id)
        owner = db.session.get(User, workshop.owner_id) if workshop else None
        pins = pins_of(workshop.agenda) if workshop else {}
        if owner is None or not owner.organisation_id or not pins:
            sessions[workshop_id] = library()
        else:
            sessions[workshop_id] = _merged(library(), pinned_items(owner.organisation_id, pins))
    return sessions[workshop_id]


def stamped(item: AgendaItem, organisation_id: int | None) -> AgendaItem:
    """An agenda item with the version of the organisation's own card or story it plays (bundled: none)."""
    if not item.ref or item.kind not in (STORY, DILEMMA):
        return item
    return replace(item, version=version_of(organisation_id, item.kind, item.ref))


class SharedVersion(NamedTuple):
    """An accepted version in the shared library, as its list is read on every request (no text)."""

    id: int
    organisation_id: int
    short_name: str
    origin: str
    kind: str
    slug: str
    number: int

    @property
    def shared_slug(self) -> str:
        return shared_slug(self.short_name, self.slug)


def shared_slug(short_name: str, slug: str) -> str:
    """The name of a shared card or story in every other organisation's library (see the module's docstring)."""
    return f"{short_name}{SHARED_MARK}{slug}"


def shared_versions(reader_organisation_id: int | None = None) -> list[SharedVersion]:
    """The shared library: per card or story the newest accepted, not withdrawn, version, except the reader
    organisation's own (it has them under their own names)."""
    rows = db.session.execute(
        select(Publication.id, Publication.organisation_id, Organisation.slug, SharedOffer.origin,
               Publication.kind, Publication.slug, Publication.number)
        .join(SharedOffer, SharedOffer.publication_id == Publication.id)
        .join(Organisation, Organisation.id == Publication.organisation_id)
        .where(SharedOffer.state == ShareState.ACCEPTED, Publication.withdrawn.is_(False),
               Publication.organisation_id != (reader_organisation_id or 0))
        .order_by(Publication.organisation_id, Publication.kind, Publication.slug, Publication.number))
    newest = {(row.organisation_id, row.kind, row.slug): SharedVersion(*row) for row in rows}
    return list(newest.values())


def parse_shared(text: str, kind: str, slug: str, problems: Problems) -> Story | Dilemma | None:
    """Parse a card or story as the shared library holds it: it may name only what every organisation has."""
    path = Path(FOLDERS[kind]) / f"{slug}.md"
    _, item = parse_text(text, path, problems, kind=kind, slug=slug, stories=set(library().stories),
                         dilemmas=set(library().dilemmas), meldroutes=set(library().meldroutes.routes))
    return item


def shared_items(versions) -> list[Story | Dilemma]:
    """The shared versions parsed (once per process and version), with their origin beside title and source."""
    cache = _cache("shared")
    missing = [v for v in versions if (v.id, v.origin) not in cache]
    texts = dict(db.session.execute(select(Publication.id, Publication.text)
                                    .where(Publication.id.in_([v.id for v in missing]))).all()) if missing else {}
    for version in missing:
        problems = Problems()
        item = parse_shared(texts[version.id], version.kind, version.shared_slug, problems)
        if item is None:  # it passed these very checks when it was offered; the checks must have changed since
            raise RuntimeError(f"gedeelde versie {version.id} is niet meer geldig:\n" + format_report(problems.items))
        cache[(version.id, version.origin)] = replace(
            # No file behind it (path ""): "Maak een eigen versie" copies bundled files only, so it is not offered.
            item, origin=version.origin, path="",
            source=Markup("Gedeeld door {}. ").format(version.origin) + item.source)
    return [cache[(v.id, v.origin)] for v in versions]
