"""Stories: a header plus scenes whose marked sentences are the signals to spot."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .. import markup
from .body import HEADING, Section, bullet_list, top_sections
from .fields import SLUG, FieldReader
from .frontmatter import Document
from .problems import Problems
from .roles import ROLES
from .themes import THEMES, theme_key

FIELDS = ("titel", "persoon", "samenvatting", "themas", "rollen", "meldroutes", "dilemmas", "bron")
MIN_SCENES, MAX_SCENES = 3, 6
MIN_QUESTIONS, MAX_QUESTIONS = 4, 6

SCENE_TITLE = re.compile(r"^sc[eèé]ne\s*[:\-–]\s*(.*)$", re.IGNORECASE)
MARKER = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
SIGNAL_ITEM = re.compile(r"^([^:\s]+)\s*:\s*(.*)$")
# A sentence ends at . ! ? or … (maybe followed by a closing quote) before a capital or quote.
SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)]))\s+(?=[A-ZÀ-Ý\"'‘“(\d])")


@dataclass(frozen=True)
class Passage:
    """A sentence (or marked group of sentences) the reader can pick as a signal."""

    key: str
    html: Markup
    signal: str | None
    line: int = field(compare=False, default=0)


@dataclass(frozen=True)
class Signal:
    """A real signal in a scene, with why it matters."""

    id: str
    passage: str
    explanation: Markup


@dataclass(frozen=True)
class Scene:
    """A short part of a story, read before its signals are revealed."""

    number: int
    title: str
    paragraphs: tuple[tuple[Passage, ...], ...]
    signals: tuple[Signal, ...]

    @property
    def passages(self) -> tuple[Passage, ...]:
        return tuple(p for paragraph in self.paragraphs for p in paragraph)


@dataclass(frozen=True)
class Story:
    """One experience story, parsed and checked."""

    slug: str
    title: str
    name: str
    age: str
    summary: str
    themes: tuple[str, ...]
    roles: tuple[str, ...]
    meldroutes: tuple[str, ...]
    dilemmas: tuple[str, ...]
    source: Markup
    scenes: tuple[Scene, ...]
    view: Markup
    questions: tuple[Markup, ...]
    path: str = field(compare=False, default="")
    # The organisation that offered it, for one from the shared library (bril/libraries.py); empty otherwise.
    origin: str = ""

    @property
    def signal_count(self) -> int:
        return sum(len(scene.signals) for scene in self.scenes)


def parse_story(doc: Document, slug: str, problems: Problems, meldroutes: set[str],
                dilemmas: set[str]) -> Story | None:
    """Build a Story from a document, recording every mistake found."""
    before = len(problems)
    reader = FieldReader(doc.path, doc.header, problems, FIELDS)
    title = reader.text("titel")
    person = reader.mapping("persoon")
    name = reader.text("naam", within=person, key=("persoon", "naam")) if person else ""
    age = reader.text("leeftijd", within=person, key=("persoon", "leeftijd")) if person else ""
    summary = reader.text("samenvatting")
    themes = reader.keys("themas", THEMES, "het thema", normalise=theme_key)
    roles = reader.keys("rollen", ROLES, "de rol")
    routes = reader.keys("meldroutes", meldroutes, "het onderdeel van Wie is hiervan?", required=False)
    linked = reader.keys("dilemmas", dilemmas, "de dilemmakaart", required=False)
    source = reader.text("bron")

    sections = top_sections(doc, problems, "Begin de tekst met `# Scène: ...`.")
    scenes, view, questions = [], None, None
    seen_signals: dict[str, int] = {}
    for section in sections:
        scene_title = SCENE_TITLE.match(section.title)
        if scene_title:
            scene = parse_scene(doc.path, section, scene_title.group(1).strip(), len(scenes) + 1,
                                problems, seen_signals)
            if scene:
                scenes.append(scene)
        elif section.title.lower() == "blik van de professional":
            if view is not None:
                problems.add(doc.path, section.line, "het kopje `# Blik van de professional` staat er twee keer in.")
            text = section.text
            if section.blank:
                problems.add(doc.path, section.line, "onder `# Blik van de professional` staat geen tekst.")
            view = markup.render(text)
        elif section.title.lower() == "gespreksvragen":
            if questions is not None:
                problems.add(doc.path, section.line, "het kopje `# Gespreksvragen` staat er twee keer in.")
            questions = parse_questions(doc.path, section, problems)
        else:
            problems.add(doc.path, section.line,
                         f"het kopje `# {section.title}` ken ik niet. Gebruik `# Scène: ...`, "
                         "`# Blik van de professional` of `# Gespreksvragen`.")
    last_line = doc.body[-1][0] if doc.body else doc.header.first_line
    if not MIN_SCENES <= len([s for s in sections if SCENE_TITLE.match(s.title)]) <= MAX_SCENES:
        problems.add(doc.path, sections[0].line if sections else last_line,
                     f"een verhaal heeft {MIN_SCENES} tot {MAX_SCENES} scènes (`# Scène: ...`); "
                     f"dit verhaal heeft er {len([s for s in sections if SCENE_TITLE.match(s.title)])}.")
    if view is None:
        problems.add(doc.path, last_line, "het kopje `# Blik van de professional` ontbreekt.")
    if questions is None:
        problems.add(doc.path, last_line, "het kopje `# Gespreksvragen` ontbreekt.")
    if len(problems) > before:
        return None
    return Story(slug=slug, title=title, name=name, age=age, summary=summary, themes=tuple(themes),
                 roles=tuple(roles), meldroutes=tuple(routes), dilemmas=tuple(linked),
                 source=markup.render_inline(source), scenes=tuple(scenes), view=view or Markup(""),
                 questions=tuple(questions or ()), path=problems.display(doc.path))


def parse_scene(path: Path, section: Section, title: str, number: int, problems: Problems,
                seen_signals: dict[str, int]) -> Scene | None:
    """Parse a scene's prose and its `## Signalen` list."""
    if not title:
        problems.add(path, section.line, "de scène heeft geen titel. Schrijf hem achter `# Scène:`.")
    prose: list[tuple[int, str]] = []
    signal_lines: list[tuple[int, str]] | None = None
    for number_, line in section.lines:
        heading = HEADING.match(line)
        if heading:
            if heading.group(2).lower() == "signalen" and signal_lines is None:
                signal_lines = []
            else:
                problems.add(path, number_, f"het kopje `{line.strip()}` hoort niet in een scène. "
                                            "Gebruik alleen `## Signalen`.")
            continue
        (prose if signal_lines is None else signal_lines).append((number_, line))
    if not any(line.strip() for _, line in prose):
        problems.add(path, section.line, f"de scène `{title}` is leeg. Schrijf het verhaal onder het kopje.")
        return None
    paragraphs = parse_prose(path, prose, problems)
    used = {p.signal: p for paragraph in paragraphs for p in paragraph if p.signal}
    explained = parse_signal_list(path, section, signal_lines, problems)

    for passage in (p for paragraph in paragraphs for p in paragraph if p.signal):
        if passage.signal in seen_signals:
            problems.add(path, passage.line, f"de naam `{passage.signal}` wordt ook gebruikt voor het signaal op "
                                             f"regel {seen_signals[passage.signal]}. Geef elk signaal een eigen naam.")
            continue
        seen_signals[passage.signal] = passage.line
        if passage.signal not in explained:
            problems.add(path, passage.line, f"het signaal `{passage.signal}` heeft geen uitleg onder "
                                             f"`## Signalen` van de scène `{title}`.")
    for signal_id, (line, _) in explained.items():
        if signal_id not in used:
            problems.add(path, line, f"de uitleg `{signal_id}` hoort bij geen enkel signaal in de tekst. "
                                     f"Zet de zin in de scène tussen `[[` en `|{signal_id}]]`.")
    if not used:
        problems.add(path, section.line, f"de scène `{title}` heeft geen signalen. Zet minstens één zin "
                                         "tussen `[[` en `|naam]]`.")
    elif all(p.signal for paragraph in paragraphs for p in paragraph):
        problems.add(path, section.line, f"in de scène `{title}` is elke zin een signaal. Zet er ook zinnen "
                                         "zonder signaal in, anders valt er niets te kiezen.")
    signals = tuple(Signal(sid, used[sid].key, markup.render_inline(explained[sid][1]))
                    for sid in used if sid in explained)
    return Scene(number, title, paragraphs, signals)


def parse_prose(path: Path, lines: list[tuple[int, str]], problems: Problems) -> tuple[tuple[Passage, ...], ...]:
    """Split prose into paragraphs of passages: marked signals and plain sentences."""
    paragraphs: list[list[tuple[int, str]]] = [[]]
    for number, line in lines:
        if line.strip():
            paragraphs[-1].append((number, line.strip()))
        elif paragraphs[-1]:
            paragraphs.append([])
    result: list[tuple[Passage, ...]] = []
    counter = 0
    for paragraph in filter(None, paragraphs):
        first = paragraph[0][0]
        text = "\n".join(line for _, line in paragraph)
        pieces: list[tuple[str, str | None, int]] = []
        position = 0
        for match in MARKER.finditer(text):
            pieces += plain_pieces(text, position, match.start(), first)
            line = first + text.count("\n", 0, match.start())
            inner, _, signal_id = match.group(1).rpartition("|")
            signal_id = signal_id.strip()
            if not inner.strip():
                problems.add(path, line, f"het signaal `[[{match.group(1)}]]` mist een naam. "
                                         "Schrijf het zo: `[[De zin.|naam-van-het-signaal]]`.")
            elif not SLUG.match(signal_id):
                problems.add(path, line, f"de naam `{signal_id}` van een signaal mag alleen kleine letters, "
                                         "cijfers en streepjes hebben.")
            else:
                pieces.append((inner.strip(), signal_id, line))
            position = match.end()
        pieces += plain_pieces(text, position, len(text), first)
        for piece, _, line in pieces:
            stray = "[[" if "[[" in piece else "]]" if "]]" in piece else None
            if stray:
                problems.add(path, line, f"er staat `{stray}` zonder zijn partner. Een signaal staat "
                                         "tussen `[[` en `]]`.")
        passages = []
        for piece, signal_id, line in pieces:
            counter += 1
            passages.append(Passage(str(counter), markup.render_inline(" ".join(piece.split())), signal_id, line))
        result.append(tuple(passages))
    return tuple(result)


def plain_pieces(text: str, start: int, end: int, first: int) -> list[tuple[str, None, int]]:
    """The sentences of unmarked text between two markers, each with its line."""
    pieces = []
    position = start
    for sentence in SENTENCE_END.split(text[start:end]):
        offset = text.find(sentence, position) if sentence else position
        position = offset + len(sentence)
        if sentence.strip():
            pieces.append((sentence.strip(), None, first + text.count("\n", 0, max(offset, start))))
    return pieces


def parse_signal_list(path: Path, section: Section, lines: list[tuple[int, str]] | None,
                      problems: Problems) -> dict[str, tuple[int, str]]:
    """Read `- naam: uitleg` lines under `## Signalen`."""
    explained: dict[str, tuple[int, str]] = {}
    if lines is None:
        return explained
    for item in bullet_list(path, Section("## Signalen", section.line, lines), problems, "## Signalen"):
        signal = SIGNAL_ITEM.match(item.text)
        if not signal or not signal.group(2).strip() or item.children:
            problems.add(path, item.line, "een signaal onder `## Signalen` schrijf je zo: "
                                          "`- naam-van-het-signaal: uitleg waarom dit een signaal is`.")
            continue
        if signal.group(1) in explained:
            problems.add(path, item.line, f"het signaal `{signal.group(1)}` heeft twee keer uitleg.")
        explained[signal.group(1)] = (item.line, signal.group(2).strip())
    return explained


def parse_questions(path: Path, section: Section, problems: Problems) -> list[Markup]:
    """Read the discussion questions: a list of four to six items."""
    questions = [item.text for item in bullet_list(path, section, problems, "# Gespreksvragen")]
    if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        problems.add(path, section.line, f"zet {MIN_QUESTIONS} tot {MAX_QUESTIONS} gespreksvragen onder "
                                         f"`# Gespreksvragen`; nu zijn het er {len(questions)}.")
    joined = " ".join(questions).lower()
    if "dader" not in joined or "slachtoffer" not in joined:
        problems.add(path, section.line, "er ontbreekt een vraag over dader of slachtoffer.")
    if "wie is hiervan" not in joined:
        problems.add(path, section.line, "er ontbreekt een vraag over “Wie is hiervan?”")
    return [markup.render_inline(question) for question in questions]
