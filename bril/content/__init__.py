"""Load and check all content files: stories, dilemma cards and reporting routes.

No Flask in here: the same code serves the site, `flask content check` and the tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .fields import SLUG, slugify
from .frontmatter import read_document
from .meldroutes import Meldroute, MeldrouteBook, load_meldroutes
from .problems import ContentInvalid, Problem, Problems, format_report
from .roles import ROLES, role_label
from .stories import Scene, Signal, Story, parse_story

__all__ = ["ContentInvalid", "Library", "Meldroute", "MeldrouteBook", "Problem", "ROLES", "Scene",
           "Signal", "Story", "format_report", "load_library", "role_label"]


@dataclass(frozen=True)
class Library:
    """Everything an organisation's site shows, checked and ready to serve."""

    stories: dict[str, Story]
    meldroutes: MeldrouteBook

    @property
    def themes(self) -> list[str]:
        return sorted({theme for story in self.stories.values() for theme in story.themes})


def content_files(folder: Path, problems: Problems) -> dict[str, Path]:
    """Map slug to file for every Markdown file under a folder; flag clashing slugs."""
    files: dict[str, Path] = {}
    if not folder.is_dir():
        problems.add(folder, 1, "deze map bestaat niet.")
        return files
    for path in sorted(folder.rglob("*.md")):
        if path.name.startswith(("_", ".")) or path.name.lower() == "readme.md":
            continue
        slug = slugify(path.stem)
        if not SLUG.match(slug):
            problems.add(path, 1, "de bestandsnaam moet letters of cijfers bevatten.")
        elif slug in files:
            problems.add(path, 1, f"dit bestand heeft dezelfde naam (`{slug}`) als "
                                  f"{problems.display(files[slug])}. Elke naam mag maar één keer voorkomen.")
        else:
            files[slug] = path
    return files


def load_library(stories_dir: Path, dilemmas_dir: Path, meldroute_file: Path,
                 root: Path | None = None) -> tuple[Library | None, list[Problem]]:
    """Load all content; return the library, or None with every problem found."""
    problems = Problems(root)
    book = load_meldroutes(meldroute_file, problems)
    route_keys = set(book.routes) if book else set()
    dilemma_slugs = set(content_files(dilemmas_dir, Problems())) if dilemmas_dir.is_dir() else set()
    stories: dict[str, Story] = {}
    for slug, path in content_files(stories_dir, problems).items():
        doc = read_document(path, problems)
        if doc is None:
            continue
        story = parse_story(doc, slug, problems, route_keys, dilemma_slugs)
        if story is not None:
            stories[slug] = story
    if not stories and not problems:
        problems.add(stories_dir, 1, "er staat geen enkel verhaal in deze map.")
    if problems or book is None:
        return None, sorted(problems.items)
    ordered = dict(sorted(stories.items(), key=lambda item: item[1].title.lower()))
    return Library(ordered, book), []
