"""Reads for the editor of own cards and stories: the drafts and versions of the writer's organisation,
a bundled file's text, and the difference between two versions. The rules that change them live in
authoring.py."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import or_, select

from .authoring import Checked, check, path_of
from .content.single import DILEMMA
from .models import Answer, Draft, DraftComment, ParkingPost, Participant, Publication, User, Workshop, db
from .privacy import find_personal_data
from .tenancy import organisation_id


def may_write() -> bool:
    """Whether the logged-in user writes for their organisation (an author or a beheerder)."""
    return current_user.is_authenticated and current_user.writes


def drafts_here() -> list[Draft]:
    """The drafts of the writer's organisation, newest change first."""
    return list(db.session.scalars(select(Draft).where(Draft.organisation_id == organisation_id())
                                   .order_by(Draft.updated_at.desc(), Draft.id.desc())))


def draft_here_or_404(draft_id: int) -> Draft:
    """A draft of the writer's organisation; another organisation's is not found."""
    draft = db.session.get(Draft, draft_id)
    if draft is None or draft.organisation_id != organisation_id():
        abort(404)
    return draft


def version_here_or_404(version_id: int) -> Publication:
    """A published version of the writer's organisation; another organisation's is not found."""
    version = db.session.get(Publication, version_id)
    if version is None or version.organisation_id != organisation_id():
        abort(404)
    return version


def versions_of(draft: Draft) -> list[Publication]:
    """Every version the draft's card or story was published as, newest first."""
    return list(db.session.scalars(select(Publication).where(
        Publication.organisation_id == draft.organisation_id, Publication.kind == draft.kind,
        Publication.slug == draft.slug).order_by(Publication.number.desc())))


def comments_of(draft: Draft) -> list[DraftComment]:
    """The remarks on a draft, oldest first."""
    return list(db.session.scalars(select(DraftComment).where(DraftComment.draft_id == draft.id)
                                   .order_by(DraftComment.created_at, DraftComment.id)))


def names_of(ids: set[int | None]) -> dict[int, str]:
    """The e-mail address of each user id (who wrote, reviewed, published, remarked)."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(db.session.execute(select(User.id, User.email).where(User.id.in_(wanted))).all())


def checked(draft: Draft, text: str | None = None) -> Checked:
    """The checks of a draft's text (or of a text about to replace it), as `flask content check` does them."""
    return check(draft.organisation_id, draft.text if text is None else text, path_of(draft.kind, draft.slug),
                 kind=draft.kind, slug=draft.slug)


def bundled_text(kind: str, slug: str) -> str | None:
    """The file text of a bundled card or story, or None when there is no such file."""
    folder = Path(current_app.config["DILEMMAS_DIR" if kind == DILEMMA else "STORIES_DIR"])
    path = folder / f"{slug}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def difference(old: Publication, new: Publication) -> str:
    """What changed from one version to another, as a unified diff."""
    return "".join(difflib.unified_diff(old.text.splitlines(keepends=True), new.text.splitlines(keepends=True),
                                        fromfile=f"versie {old.number}", tofile=f"versie {new.number}"))


@dataclass(frozen=True)
class Material:
    """What a session's room said that a new case may start from: the texts the privacy guard let through,
    and how many it held back (never which: they may hold a real person)."""

    parked: tuple[str, ...]
    answers: tuple[str, ...]
    held_back: int


def session_material(workshop: Workshop, limit: int = 40) -> Material:
    """A session's parked questions and question-round answers, anonymous as they were given, without those of
    participants the facilitator removed, and without any text in which the privacy guard finds personal data."""
    removed = select(Participant.id).where(Participant.workshop_id == workshop.id, Participant.removed)
    parked = db.session.scalars(select(ParkingPost.text).where(
        ParkingPost.workshop_id == workshop.id, or_(ParkingPost.participant_id.is_(None),
                                                    ParkingPost.participant_id.not_in(removed)))
        .order_by(ParkingPost.id).limit(limit)).all()
    answers = db.session.scalars(select(Answer.text).where(
        Answer.workshop_id == workshop.id, or_(Answer.participant_id.is_(None), Answer.participant_id.not_in(removed)))
        .order_by(Answer.id).limit(limit)).all()
    clean = [[t for t in texts if t.strip() and not find_personal_data(t)] for texts in (parked, answers)]
    held = len(parked) + len(answers) - len(clean[0]) - len(clean[1])
    return Material(tuple(clean[0]), tuple(clean[1]), held)


def sessions_to_harvest(limit: int = 10) -> list[Workshop]:
    """The newest sessions the writer may open the report of (their own; a beheerder's whole organisation),
    no rehearsals: what a real room said is what a case starts from."""
    query = select(Workshop).where(Workshop.rehearsal.is_(False)).order_by(Workshop.created_at.desc()).limit(limit)
    if current_user.role == "beheerder":
        query = query.join(User, User.id == Workshop.owner_id).where(User.organisation_id == organisation_id())
    else:
        query = query.where(Workshop.owner_id == current_user.id)
    return list(db.session.scalars(query))
