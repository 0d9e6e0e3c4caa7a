"""Load and check all content files: stories, dilemma cards and reporting routes.

No Flask in here: the same code serves the site, `flask content check` and the tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .dilemmas import Dilemma, Ending, Option, Step, parse_dilemma
from .guide import Leeswijzer
from .fields import SLUG, slugify
from .frontmatter import read_document
from .meldroutes import Meldroute, MeldrouteBook, load_meldroutes
from .problems import ContentInvalid, Problem, Problems, format_report
from .roles import ROLES, role_in_sentence, role_label
from .stories import Scene, Signal, Story, parse_story
from .themes import THEMES, theme_label

__all__ = ["ContentInvalid", "Dilemma", "Ending", "Leeswijzer", "Library", "Option", "Step", "Meldroute", "MeldrouteBook", "Problem", "ROLES", "Scene",
           "Signal", "Story", "THEMES", "format_report", "load_library", "role_in_sentence", "role_label", "theme_label"]


@dataclass(frozen=True)
class Library:
    """Everything an organisation's site shows, checked and ready to serve."""

    stories: dict[str, Story]
    dilemmas: dict[str, Dilemma]
    meldroutes: MeldrouteBook

    @property
    def themes(self) -> list[str]:
        return sorted({theme for story in self.stories.values() for theme in story.themes})

    @property
    def dilemma_themes(self) -> list[str]:
        return sorted({theme for dilemma in self.dilemmas.values() for theme in dilemma.themes})

    def dilemmas_for(self, story: str) -> list[Dilemma]:
        """The cards that name a story, or that the story names."""
        named = set(self.stories[story].dilemmas) if story in self.stories else set()
        return [d for d in self.dilemmas.values() if story in d.stories or d.slug in named]


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
    story_files = content_files(stories_dir, problems)
    dilemma_files = content_files(dilemmas_dir, problems) if dilemmas_dir.exists() else {}
    stories: dict[str, Story] = {}
    for slug, path in story_files.items():
        doc = read_document(path, problems)
        story = doc and parse_story(doc, slug, problems, route_keys, set(dilemma_files))
        if story:
            stories[slug] = story
    dilemmas: dict[str, Dilemma] = {}
    for slug, path in dilemma_files.items():
        doc = read_document(path, problems)
        dilemma = doc and parse_dilemma(doc, slug, problems, set(story_files), route_keys)
        if dilemma:
            dilemmas[slug] = dilemma
    if not stories and not problems:
        problems.add(stories_dir, 1, "er staat geen enkel verhaal in deze map.")
    if problems or book is None:
        return None, sorted(problems.items)
    return Library(by_title(stories), by_title(dilemmas), book), []


def by_title(items: dict) -> dict:
    """Order content by title, as the libraries show it."""
    return dict(sorted(items.items(), key=lambda item: item[1].title.lower()))
