"""The Markdown body of a content file: sections under headings, and bullet lists."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .frontmatter import Document
from .problems import Problems

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$")


@dataclass
class Section:
    """Lines under one heading."""

    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Item:
    """One bullet with its continuation lines and indented sub-bullets."""

    text: str
    line: int
    children: list[Item] = field(default_factory=list)


def split_sections(lines: list[tuple[int, str]], level: int) -> tuple[list[tuple[int, str]], list[Section]]:
    """Group lines under headings of one level; return the lines before the first heading too."""
    before: list[tuple[int, str]] = []
    sections: list[Section] = []
    for number, line in lines:
        heading = HEADING.match(line)
        if heading and len(heading.group(1)) == level:
            sections.append(Section(heading.group(2), number))
        elif sections:
            sections[-1].lines.append((number, line))
        else:
            before.append((number, line))
    return before, sections


def top_sections(doc: Document, problems: Problems, hint: str) -> list[Section]:
    """The level-1 sections of a document; text before the first heading is a mistake."""
    before, sections = split_sections(doc.body, 1)
    stray = next(((number, line) for number, line in before if line.strip()), None)
    if stray:
        problems.add(doc.path, stray[0], f"hier staat tekst vóór het eerste kopje. {hint}")
    return sections


def bullet_list(path: Path, section: Section, problems: Problems, what: str) -> list[Item]:
    """Read a bullet list (with one level of sub-bullets); anything else is a mistake."""
    items: list[Item] = []
    for number, line in section.lines:
        if not line.strip():
            continue
        bullet = LIST_ITEM.match(line)
        if bullet and not bullet.group(1):
            items.append(Item(bullet.group(2).strip(), number))
        elif bullet and items:
            items[-1].children.append(Item(bullet.group(2).strip(), number))
        elif items and line.startswith((" ", "\t")):
            target = items[-1].children[-1] if items[-1].children else items[-1]
            target.text += " " + line.strip()
        else:
            problems.add(path, number, f"onder `{what}` hoort alleen een lijst: elke regel begint met `- `.")
    return items
