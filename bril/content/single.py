"""One card or story on its own: parsed from its text by the same code, with the same checks and the same
messages, as the files the loader reads. Drafts in the database and imported files go through here."""
from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from .dilemmas import Dilemma, parse_dilemma
from .fields import SLUG, slugify
from .frontmatter import Document, split_document
from .problems import Problems
from .stories import Story, parse_story

STORY, DILEMMA = "verhaal", "dilemma"
FOLDERS = {STORY: "stories", DILEMMA: "dilemmas"}


def slug_of(path: Path, problems: Problems) -> str | None:
    """The slug a file name gives, or None with the loader's message when it gives none."""
    slug = slugify(path.stem)
    if not SLUG.match(slug):
        problems.add(path, 1, "de bestandsnaam moet letters of cijfers bevatten.")
        return None
    return slug


def kind_of(doc: Document, path: Path) -> str:
    """Whether a file is a story or a card: by its folder (stories/, dilemmas/), else by its header
    (a story has a `persoon`, a card a `rol`)."""
    folders = {part.lower() for part in path.parts[:-1]}
    if "stories" in folders or "verhalen" in folders:
        return STORY
    if "dilemmas" in folders:
        return DILEMMA
    return STORY if "persoon" in doc.header.data and "rol" not in doc.header.data else DILEMMA


def parse_text(text: str, path: Path, problems: Problems, *, kind: str | None = None, slug: str | None = None,
               stories: Collection[str] = (), dilemmas: Collection[str] = (),
               meldroutes: Collection[str] = ()) -> tuple[str | None, Story | Dilemma | None]:
    """Parse one file's text into its kind and a Story or Dilemma (None when anything is wrong, with every
    problem recorded). `stories`, `dilemmas` and `meldroutes` are the names it may refer to."""
    slug = slug or slug_of(path, problems)
    doc = split_document(text, path, problems)
    if doc is None or slug is None:
        return kind, None
    kind = kind or kind_of(doc, path)
    before = len(problems)
    if kind == STORY:
        parsed = parse_story(doc, slug, problems, set(meldroutes), set(dilemmas))
    else:
        parsed = parse_dilemma(doc, slug, problems, set(stories), set(meldroutes))
    return kind, (parsed if len(problems) == before else None)
