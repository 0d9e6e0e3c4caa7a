"""Files stay first-class: an organisation's published cards and stories written out as the same Markdown
files the bundled library uses, and files read in as drafts with the same checks and messages
(`flask content export` / `flask content import`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from . import authoring
from .content import Dilemma, Story
from .content.frontmatter import read_text, split_document
from .content.problems import Problem, Problems
from .content.single import FOLDERS, kind_of, slug_of
from .extensions import library
from .libraries import latest_versions, own_slugs
from .models import Draft, Organisation, User, db


@dataclass
class Imported:
    """What an import did: per file its draft (or its problems), and which were published."""

    drafts: list[Draft] = field(default_factory=list)
    published: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def export(organisation: Organisation, folder: Path) -> list[Path]:
    """Write the newest live version of each own card and story to folder/dilemmas and folder/stories."""
    written = []
    for version in latest_versions(organisation.id):
        path = folder / FOLDERS[version.kind] / f"{version.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(version.text, encoding="utf-8")
        written.append(path)
    return written


def _read(paths: list[Path], problems: Problems) -> dict[Path, tuple[str, str, str]]:
    """Each readable file's kind, slug and text (a file that cannot be read gets its problem instead)."""
    found = {}
    for path in paths:
        text = read_text(path, problems)
        slug = slug_of(path, problems)
        if text is None or slug is None:
            continue
        probe = Problems()  # the kind only; the full check below records the header's problems once
        doc = split_document(text, path, probe)
        found[path] = (kind_of(doc, path) if doc else "verhaal", slug, text)
    return found


def import_files(organisation: Organisation, paths: list[Path], author: User | None = None, *,
                 publish: bool = False, root: Path | None = None) -> Imported:
    """Read files into drafts of an organisation (a draft with the same name gets the new text), checked as
    `flask content check` checks them; with `publish`, publish each one that passes."""
    result = Imported()
    problems = Problems(root)
    files = _read(paths, problems)
    existing: dict[Path, Draft | None] = {}
    for path, (kind, slug, _) in list(files.items()):
        existing[path] = db.session.scalar(select(Draft).where(
            Draft.organisation_id == organisation.id, Draft.kind == kind, Draft.slug == slug))
        name = authoring.name_problem(organisation.id, kind, slug, existing[path].id if existing[path] else None)
        if name:
            problems.add(path, 1, name)
            del files[path]
    checked, passing = _check_together(organisation, files, root)
    to_publish = []
    for path, (kind, slug, text) in files.items():
        problems.items += checked[path].problems
        draft = existing[path]
        if draft is None:
            draft = authoring.create_draft(organisation.id, kind, slug, text, author)
            db.session.commit()
        elif draft.text != text:
            authoring.save_text(draft, text, draft.revision, author)
        result.drafts.append(draft)
        if publish and path in passing:
            to_publish.append((draft, checked[path]))
    for draft, passed in to_publish:
        authoring.publish(draft, author, reviewed=False, checked=passed)
        result.published.append(draft)
    result.problems = sorted(problems.items)
    return result


def _check_together(organisation: Organisation, files: dict[Path, tuple[str, str, str]],
                    root: Path | None) -> tuple[dict[Path, authoring.Checked], set[Path]]:
    """Check files that may name each other (a story its cards, a card its stories), each with the messages
    `flask content check` gives; and which of them may be published: those that pass and name no file that
    does not (followed through, as a story that names a card that names a broken story cannot go either)."""
    names = {kind: {slug for k, slug, _ in files.values() if k == kind} for kind in FOLDERS}
    checked = {path: authoring.check(organisation.id, text, path, kind=kind, slug=slug, root=root,
                                     stories=names["verhaal"], dilemmas=names["dilemma"])
               for path, (kind, slug, text) in files.items()}
    there = {kind: set(library().stories if kind == "verhaal" else library().dilemmas)
             | own_slugs(organisation.id, kind) for kind in FOLDERS}
    passing = {path for path in files if checked[path].ok}
    while True:
        named = {kind: there[kind] | {files[p][1] for p in passing if files[p][0] == kind} for kind in FOLDERS}
        still = {path for path in passing if all(ref in named[kind] for kind, ref in _refs(checked[path].item))}
        if still == passing:
            return checked, passing
        passing = still


def _refs(item: Story | Dilemma) -> list[tuple[str, str]]:
    """The cards a story names, or the stories a card names, as (kind, slug)."""
    if isinstance(item, Story):
        return [("dilemma", slug) for slug in item.dilemmas]
    return [("verhaal", slug) for slug in item.stories]
