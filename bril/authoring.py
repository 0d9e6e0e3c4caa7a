"""Writing an organisation's own cards and stories: drafts, the checks, review with four eyes, publishing
and withdrawing. Every rule that changes a draft or a version lives here; `libraries.py` reads them.

A draft is the text of one Markdown file. It is checked by the parser of the files (content/single.py),
so every message is the message `flask content check` gives; on top of that the privacy guard reads every
line, because a case is where a real person slips in most easily.

Names: an own card or story may not take the name of a bundled one (the library would show two under one
address); the author picks another name. Names are unique per organisation, not over the installation.
"""
from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from .content import Dilemma, Story
from .content.problems import Problem, Problems
from .content.single import DILEMMA, FOLDERS, STORY, parse_text
from .editor_steps import add_ending, add_step, fingerprint, move_step, nodes_of, remove_step
from .extensions import library
from .libraries import own_slugs, remember, route_keys
from .models import ContentKind, Draft, DraftComment, Organisation, Publication, ReviewState, User, db, utcnow
from .privacy import find_personal_data


class Refused(Exception):
    """A change that may not happen, with the Dutch reason for the person who asked."""


@dataclass(frozen=True)
class Checked:
    """A draft's text after the checks: what it parses to (None when something is wrong) and every problem."""

    kind: str | None
    item: Story | Dilemma | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.item is not None and not self.problems


def path_of(kind: str, slug: str) -> Path:
    """Where the draft's file would be in the library: dilemmas/<slug>.md or stories/<slug>.md."""
    return Path(FOLDERS[kind]) / f"{slug}.md"


def privacy_problems(text: str, path: Path, problems: Problems) -> None:
    """Record, per line, the personal data the guard finds (naming the kind, never the data itself)."""
    per_line: dict[int, list[str]] = {}
    for finding in find_personal_data(text):
        per_line.setdefault(text.count("\n", 0, finding.start) + 1, []).append(finding.label)
    for number, labels in per_line.items():
        labels = list(dict.fromkeys(labels))
        problems.add(path, number, f"hier staat {' en '.join(labels)}. Een casus gaat nooit over een echt "
                                   "persoon: haal deze gegevens weg of verzin ze anders.")


def check(organisation_id: int, text: str, path: Path, *, kind: str | None = None, slug: str | None = None,
          stories: Collection[str] = (), dilemmas: Collection[str] = (), root: Path | None = None) -> Checked:
    """Check a card's or story's text as `flask content check` checks a file, for an organisation (the names
    it may refer to are the bundled ones, its own, and `stories`/`dilemmas` imported alongside)."""
    problems = Problems(root)
    found_kind, item = parse_text(
        text, path, problems, kind=kind, slug=slug,
        stories=set(library().stories) | own_slugs(organisation_id, STORY) | set(stories),
        dilemmas=set(library().dilemmas) | own_slugs(organisation_id, DILEMMA) | set(dilemmas),
        meldroutes=route_keys(organisation_id))
    privacy_problems(text, path, problems)
    return Checked(found_kind, item, sorted(problems.items))


def name_problem(organisation_id: int, kind: str, slug: str, draft_id: int | None = None) -> str | None:
    """Why a name cannot be used for an own card or story, or None."""
    bundled = library().dilemmas if kind == DILEMMA else library().stories
    if slug in bundled:
        return (f"de naam `{slug}` hoort al bij een {ContentKind(kind).label} van het platform. "
                "Kies een andere naam, bijvoorbeeld met de naam van je organisatie erin.")
    taken = db.session.scalar(select(Draft.id).where(Draft.organisation_id == organisation_id, Draft.kind == kind,
                                                     Draft.slug == slug))
    if taken is not None and taken != draft_id:
        return f"je organisatie heeft al een {ContentKind(kind).label} met de naam `{slug}`."
    return None


def create_draft(organisation_id: int, kind: str, slug: str, text: str, author: User | None) -> Draft:
    """Start a draft; refused when its name is taken."""
    problem = name_problem(organisation_id, kind, slug)
    if problem:
        raise Refused(problem)
    draft = Draft(organisation_id=organisation_id, kind=kind, slug=slug, text=text,
                  author_id=author.id if author else None)
    db.session.add(draft)
    db.session.flush()
    return draft


def save_text(draft: Draft, text: str, from_revision: int, author: User | None) -> int:
    """Store a new text when nobody saved since `from_revision`; the new revision. Refused (and nothing
    lost: the caller still has its text) when someone else saved in between."""
    changed = db.session.execute(
        update(Draft).where(Draft.id == draft.id, Draft.revision == from_revision)
        .values(text=text, revision=Draft.revision + 1, updated_at=utcnow(),
                author_id=author.id if author else Draft.author_id,
                state=ReviewState.DRAFT if draft.state != ReviewState.IN_REVIEW else ReviewState.IN_REVIEW)
        .execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        db.session.rollback()
        raise Refused("iemand anders heeft deze tekst intussen opgeslagen. Je eigen tekst is niet weg: "
                      "kopieer hem, open de nieuwste versie en zet je wijziging er opnieuw in.")
    db.session.commit()
    db.session.refresh(draft)
    return draft.revision


def submit(draft: Draft, root: Path | None = None) -> Checked:
    """Send a draft to review when it passes every check; the problems otherwise (nothing changes)."""
    checked = check(draft.organisation_id, draft.text, path_of(draft.kind, draft.slug), kind=draft.kind,
                    slug=draft.slug, root=root)
    if checked.ok:
        draft.state = ReviewState.IN_REVIEW
        db.session.commit()
    return checked


def review(draft: Draft, reviewer: User, approve: bool, seen_revision: int | None = None) -> None:
    """Approve a draft in review, or send it back; the author may not review their own text (four eyes).

    An approval holds for the text the reviewer read: when the author saved again after the reviewer opened
    it (`seen_revision`), the approval is refused, so nobody approves words they never saw."""
    if reviewer.organisation_id != draft.organisation_id:
        raise Refused("deze tekst hoort bij een andere organisatie.")
    if draft.state != ReviewState.IN_REVIEW:
        raise Refused("deze tekst is niet ter beoordeling gestuurd.")
    if draft.author_id == reviewer.id:
        raise Refused("je kunt je eigen tekst niet goedkeuren of terugsturen. Vraag een collega om mee te kijken.")
    if approve and seen_revision is not None and seen_revision != draft.revision:
        raise Refused("de tekst is veranderd nadat je hem opende. Lees de nieuwe tekst en beslis dan opnieuw.")
    draft.state = ReviewState.APPROVED if approve else ReviewState.RETURNED
    draft.reviewer_id = reviewer.id
    db.session.commit()


def comment(draft: Draft, field: str, body: str, author: User) -> DraftComment:
    """A remark on one field of a draft, refused when it holds personal data."""
    if author.organisation_id != draft.organisation_id:
        raise Refused("deze tekst hoort bij een andere organisatie.")
    if find_personal_data(body):
        raise Refused("in je opmerking staan persoonsgegevens. Haal ze weg en probeer het opnieuw.")
    remark = DraftComment(draft_id=draft.id, field=field, body=body, author_id=author.id, revision=draft.revision)
    db.session.add(remark)
    db.session.commit()
    return remark


def publish(draft: Draft, by: User | None, *, reviewed: bool = True, checked: Checked | None = None) -> Publication:
    """Make an approved draft an immutable version, the newest of its card or story. `reviewed=False` skips
    the four eyes (only `flask content import --publish`, to move an existing library in, which hands in the
    check it just made of this very text, with the files published alongside)."""
    if reviewed and draft.state != ReviewState.APPROVED:
        raise Refused("alleen een goedgekeurde tekst kan worden gepubliceerd.")
    checked = checked or check(draft.organisation_id, draft.text, path_of(draft.kind, draft.slug),
                               kind=draft.kind, slug=draft.slug)
    if not checked.ok:
        raise Refused("de tekst is niet in orde: " + "; ".join(str(p) for p in checked.problems))
    organisation = db.session.execute(
        update(Organisation).where(Organisation.id == draft.organisation_id)
        .values(content_version=Organisation.content_version + 1).returning(Organisation.id)).scalar_one()
    last = db.session.scalar(select(Publication.number).where(
        Publication.organisation_id == organisation, Publication.kind == draft.kind,
        Publication.slug == draft.slug).order_by(Publication.number.desc()).limit(1)) or 0
    version = Publication(organisation_id=organisation, draft_id=draft.id, kind=draft.kind, slug=draft.slug,
                          number=last + 1, text=draft.text, published_by_id=by.id if by else None)
    db.session.add(version)
    draft.state = ReviewState.PUBLISHED
    db.session.commit()
    remember(version, checked.item)
    return version


def withdraw(version: Publication) -> None:
    """Take a version out of the library; plans and sessions made with it keep it."""
    if version.withdrawn:
        return
    version.withdrawn, version.withdrawn_at = True, utcnow()
    db.session.execute(update(Organisation).where(Organisation.id == version.organisation_id)
                       .values(content_version=Organisation.content_version + 1))
    db.session.commit()


def save_part(draft: Draft, unchanged: Callable[[str], bool], write: Callable[[str], str], author: User | None) -> bool:
    """Write one part of a draft (a step, a scene, a header: `write` puts the form's fields into a text) into the
    newest text when that part is still as the writer saw it (`unchanged` says so of a text); a change elsewhere,
    by another tab or author, is kept. False, with nothing saved, when someone changed this very part in between."""
    for _ in range(2):  # a save can slip in between reading and writing; then read once more
        db.session.refresh(draft)
        if not unchanged(draft.text):
            return False
        try:
            save_text(draft, write(draft.text), draft.revision, author)
            return True
        except Refused:
            continue
    return False


def save_node(draft: Draft, node_id: str, write: Callable[[str], str], seen: str, author: User | None) -> bool:
    """Write one step or ending when it is still as the writer saw it (`seen`, its fingerprint)."""
    return save_part(draft, lambda text: fingerprint(text, node_id) == seen, write, author)


STEP_CHANGES = {"erbij": lambda text, _: add_step(text)[0], "weg": remove_step,
                "omhoog": lambda text, step_id: move_step(text, step_id, -1),
                "omlaag": lambda text, step_id: move_step(text, step_id, 1),
                "einde-erbij": lambda text, _: add_ending(text), "einde-weg": remove_step}


def change_steps(draft: Draft, change: str, step_id: str, author: User | None) -> None:
    """Add a step or an ending, or take one out or move a step, in the newest text. Refused when the part is
    gone or the card would lose its last step or ending."""
    for _ in range(2):
        db.session.refresh(draft)
        kind = "einde" if change.startswith("einde") else "stap"
        named = [n.id for n in nodes_of(draft.text) if n.kind == kind]
        if not change.endswith("erbij") and step_id not in named:
            raise Refused(f"`{step_id}` bestaat niet meer. Misschien heeft iemand anders het net weggehaald.")
        if change.endswith("weg") and len(named) == 1:
            raise Refused(f"een kaart heeft minstens één {kind}. Voeg eerst een andere {kind} toe.")
        try:
            save_text(draft, STEP_CHANGES[change](draft.text, step_id), draft.revision, author)
            return
        except Refused:
            continue
    raise Refused("het lukte niet om op te slaan: de tekst veranderde steeds. Probeer het opnieuw.")
