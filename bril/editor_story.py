"""A story's parts outside its scenes, read from and written back into the draft's text: the header (title,
person, summary, themes, roles, reporting routes, linked cards, source) and the closing a reader sees after
the last scene (`# Blik van de professional` and `# Gespreksvragen`).

The text stays the one truth, as with a card's header (editor_header.py, whose key-by-key writer this uses):
a save rewrites only what changed. An unchanged header key keeps its lines, comments and style byte for byte;
the professional's view and the questions are two sections of the body, each written again only when what it
says changed, and the scenes between and around them never move.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from . import authoring
from .content.body import HEADING, LIST_ITEM
from .editor_header import header_lines, read_header, write_header
from .editor_steps import body_start, normal, one_line
from .models import Draft

VIEW, QUESTIONS = "Blik van de professional", "Gespreksvragen"
TEXT_KEYS = ("titel", "samenvatting", "bron")
LIST_KEYS = ("themas", "rollen", "meldroutes", "dilemmas")


@dataclass(frozen=True)
class Section:
    """A level-1 part of the body that is not a scene: its lines (0-based, end exclusive)."""

    start: int
    end: int


@dataclass
class Closing:
    """What a reader sees after the last scene: the professional's view (Markdown) and the questions."""

    view: str = ""
    questions: list[str] = field(default_factory=list)


def headings(lines: list[str]) -> list[int]:
    """The indexes of the body's level-1 headings, as the parser splits the body (content/body.py)."""
    found = []
    for i in range(body_start(lines), len(lines)):
        heading = HEADING.match(lines[i])
        if heading and len(heading.group(1)) == 1:
            found.append(i)
    return found


def sections(text: str, title: str) -> list[Section]:
    """Every level-1 part of the body with this heading (the checks refuse a second one)."""
    lines = text.split("\n")
    heads = headings(lines)
    return [Section(i, heads[n + 1] if n + 1 < len(heads) else len(lines)) for n, i in enumerate(heads)
            if HEADING.match(lines[i]).group(2).lower() == title.lower()]


def section_source(text: str, title: str) -> str:
    """One part as it stands in the text, heading included ("" when the story has none)."""
    found = sections(text, title)
    return "\n".join(text.split("\n")[found[0].start:found[0].end]).strip() if found else ""


def section_body(text: str, title: str) -> list[str]:
    found = sections(text, title)
    return text.split("\n")[found[0].start + 1:found[0].end] if found else []


def read_closing(text: str) -> Closing:
    """The professional's view and the questions as they stand in the text."""
    questions = [LIST_ITEM.match(line).group(2).strip() for line in section_body(text, QUESTIONS)
                 if LIST_ITEM.match(line)]
    return Closing("\n".join(section_body(text, VIEW)).strip(), questions)


def said(text: str) -> str:
    """What a Markdown text says: without outer blank lines and trailing spaces (blank lines inside stay, they
    part paragraphs)."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


def view_text(view: str) -> str:
    return f"# {VIEW}\n\n{said(view)}\n"


def questions_text(questions: list[str]) -> str:
    return f"# {QUESTIONS}\n\n" + "".join(f"- {one_line(q)}\n" for q in questions if q.strip())


def write_section(text: str, title: str, block: str, before: str = "") -> str:
    """The text with one part replaced by `block`; a part the story lacks is put before the part `before` (when
    there is one) or at the end. Everything else stays as it was."""
    lines, new = text.split("\n"), block.rstrip("\n").split("\n") + [""]
    found = sections(text, title) or (sections(text, before) if before else [])
    if found and sections(text, title):
        return "\n".join(lines[:found[0].start] + new + lines[found[0].end:])
    if found:
        return "\n".join(lines[:found[0].start] + new + lines[found[0].start:])
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines + [""] + new)


def write_closing(text: str, closing: Closing) -> str:
    """The text with the view and the questions of `closing`; a part that says what it said stays byte for byte."""
    old = read_closing(text)
    if said(closing.view) != said(old.view) or (not sections(text, VIEW) and closing.view.strip()):
        text = write_section(text, VIEW, view_text(closing.view), before=QUESTIONS)
    typed = [one_line(q) for q in closing.questions if q.strip()]
    if typed != [one_line(q) for q in old.questions] or (not sections(text, QUESTIONS) and typed):
        text = write_section(text, QUESTIONS, questions_text(typed))
    return text


def fits(text: str) -> bool:
    """Whether the form has a field for every word of the story's header and closing: a header that is a
    mapping with texts and lists where the form has them, each closing part at most once, and questions that
    are a plain list (a line that is not a question would be lost)."""
    data = read_header(text)
    if data is None:
        return False
    person = data.get("persoon") or {}
    if not (all(isinstance(data.get(k) or "", str) for k in TEXT_KEYS) and isinstance(person, dict)
            and all(isinstance(person.get(k) or "", (str, int)) for k in ("naam", "leeftijd"))
            and all(isinstance(data.get(k) or [], list)
                    and all(isinstance(v, (str, int)) for v in data.get(k) or []) for k in LIST_KEYS)):
        return False
    if len(sections(text, VIEW)) > 1 or len(sections(text, QUESTIONS)) > 1:
        return False
    body = section_body(text, QUESTIONS)
    return all(not line.strip() or (LIST_ITEM.match(line) and not LIST_ITEM.match(line).group(1)) for line in body)


def fingerprint(text: str) -> str:
    """A short mark of the header and the closing as they are now, so a save can tell whether someone changed
    them; a change in a scene does not count."""
    return hashlib.sha256(normal(parts_source(text)).encode()).hexdigest()[:16] if read_header(text) else ""


def parts_source(text: str) -> str:
    """The header and the closing as they stand in the text (to show beside the form after a conflict)."""
    lines, end = header_lines(text)
    found = ["\n".join(lines[:end + 1])] + [section_source(text, title) for title in (VIEW, QUESTIONS)]
    return "\n\n".join(part for part in found if part)


def write_story(text: str, header: dict, closing: Closing) -> str:
    """The text with this header and closing; unchanged keys and parts, and every scene, byte for byte."""
    if header != read_header(text):
        text = write_header(text, header)
    return write_closing(text, closing)


def save_story(draft: Draft, header: dict, closing: Closing, seen: str, author) -> bool:
    """Write the header and closing into the newest text when they are still as the writer saw them (`seen`); a
    change in a scene meanwhile is kept. False, with nothing saved, when someone changed them in between."""
    return authoring.save_part(draft, lambda text: fingerprint(text) == seen,
                               lambda text: write_story(text, header, closing), author)
