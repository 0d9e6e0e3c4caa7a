"""Dilemma cards: a graph of steps with options, leading to endings, plus a Leeswijzer."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .. import markup
from .body import Item, Section, bullet_list, split_sections, top_sections
from .fields import SLUG, FieldReader
from .frontmatter import Document
from .graph import check_graph, longest_route, shortest_route
from .guide import REQUIRE_KADER, Kader, Leeswijzer, check_step_minutes, parse_kader, parse_leeswijzer
from .problems import Problems
from .roles import ROLES
from .themes import THEMES, theme_key

FIELDS = ("titel", "samenvatting", "rol", "themas", "verhalen", "meldroutes", "avg", "handelingsopties",
          "leeswijzer", "kader", "bron")
# The parts of the Leeswijzer and the legal frame that issue 9 added; required once every card has them.
MIN_OPTIONS, MAX_OPTIONS, MIN_PROMPTS = 2, 4, 2

NODE_TITLE = re.compile(r"^(stap|einde)\s+(\S+?)\s*:\s*(.*)$", re.IGNORECASE)
ARROW = re.compile(r"^(.*?)\s*(?:→|->)\s*(\S+)\s*$")
CONSEQUENCE = re.compile(r"^(cli[eë]nt|systeem)\s*:\s*(.*)$", re.IGNORECASE)
LETTERS = "ABCD"  # a step has two to four options
STEP_PARTS = {"situatie", "vraag", "opties", "gespreksvragen", "puzzelstukjes"}


@dataclass(frozen=True)
class Option:
    """A choice at a step, what it costs on both sides, and where it leads."""

    number: int
    label: str
    target: str
    client: Markup
    system: Markup
    line: int = field(compare=False, default=0)

    @property
    def letter(self) -> str:
        """A, B, C or D: how the room names the option."""
        return LETTERS[self.number - 1]


@dataclass(frozen=True)
class Step:
    """A situation with a question and two to four options."""

    id: str
    title: str
    situation: Markup
    question: Markup
    options: tuple[Option, ...]
    prompts: tuple[Markup, ...]
    pieces: tuple[tuple[str, Markup], ...]
    line: int = field(compare=False, default=0)


OUTCOMES = {"beter": "Beter afgelopen", "slechter": "Slechter afgelopen", "gemengd": "Gemengd afgelopen"}


@dataclass(frozen=True)
class Ending:
    """Where a route ends, with a short reflection and how it turned out for the client and those around them."""

    id: str
    title: str
    reflection: Markup
    line: int = field(compare=False, default=0)
    outcome: str | None = None


@dataclass(frozen=True)
class Dilemma:
    """One dilemma card, parsed and checked."""

    slug: str
    title: str
    summary: str
    role: str
    themes: tuple[str, ...]
    stories: tuple[str, ...]
    meldroutes: tuple[str, ...]
    avg: Markup | None
    actions: tuple[Markup, ...]
    leeswijzer: Leeswijzer
    source: Markup
    steps: dict[str, Step]
    endings: dict[str, Ending]
    path: str = ""
    kader: Kader | None = None
    # The organisation that offered it, for one from the shared library (bril/libraries.py); empty otherwise.
    origin: str = ""

    @property
    def start(self) -> str:
        return next(iter(self.steps))

    @property
    def depth(self) -> int:
        """The most decisions on a route from the start to an ending without repeating a step."""
        return longest_route(self.steps, self.endings, self.start, frozenset())

    @property
    def shortest(self) -> int:
        """The fewest decisions from the start to any ending."""
        return shortest_route(self.steps, self.endings, self.start)

    @property
    def roles_with_pieces(self) -> list[str]:
        return sorted({role for step in self.steps.values() for role, _ in step.pieces})


def parse_dilemma(doc: Document, slug: str, problems: Problems, stories: set[str],
                  meldroutes: set[str]) -> Dilemma | None:
    """Build a Dilemma from a document, recording every mistake found."""
    before = len(problems)
    reader = FieldReader(doc.path, doc.header, problems, FIELDS)
    title = reader.text("titel")
    summary = reader.text("samenvatting")
    role = reader.text("rol")
    if role and role not in ROLES:
        reader.problem(f"de rol `{role}` bestaat niet.", "rol")
    themes = reader.keys("themas", THEMES, "het thema", normalise=theme_key)
    linked = reader.keys("verhalen", stories, "het verhaal")
    routes = reader.keys("meldroutes", meldroutes, "het onderdeel van Wie is hiervan?", required=False)
    avg = reader.text("avg", required=False)
    actions = reader.text_list("handelingsopties")
    leeswijzer = parse_leeswijzer(reader)
    source = reader.text("bron")

    steps: dict[str, Step] = {}
    endings: dict[str, Ending] = {}
    seen: dict[str, int] = {}
    for section in top_sections(doc, problems, "Begin de tekst met `# Stap naam: titel`."):
        node = NODE_TITLE.match(section.title)
        if not node:
            problems.add(doc.path, section.line, f"het kopje `# {section.title}` ken ik niet. Gebruik "
                                                 "`# Stap naam: titel` of `# Einde naam: titel`.")
            continue
        kind, node_id, node_title = node.group(1).lower(), node.group(2), node.group(3).strip()
        if not SLUG.match(node_id):
            problems.add(doc.path, section.line, f"de naam `{node_id}` mag alleen kleine letters, cijfers en "
                                                 "streepjes hebben.")
            continue
        if node_id in seen:
            problems.add(doc.path, section.line, f"de naam `{node_id}` is al gebruikt op regel {seen[node_id]}. "
                                                 "Geef elke stap en elk einde een eigen naam.")
            continue
        seen[node_id] = section.line
        if not node_title:
            problems.add(doc.path, section.line, f"`{node_id}` heeft geen titel. Schrijf die achter de dubbele punt.")
        if kind == "stap":
            step = parse_step(doc.path, section, node_id, node_title, problems)
            if step:
                steps[node_id] = step
        else:
            endings[node_id] = parse_ending(doc.path, section, node_id, node_title, problems)
    if not steps:
        problems.add(doc.path, doc.body[0][0] if doc.body else 1, "de kaart heeft geen stappen. Begin met "
                                                                  "`# Stap naam: titel`.")
    else:
        check_graph(doc.path, steps, endings, seen, problems)
    kader = parse_kader(reader, set(steps))
    check_step_minutes(reader, leeswijzer, set(steps))
    if len(problems) > before:
        return None
    return Dilemma(slug=slug, title=title, summary=summary, role=role, themes=tuple(themes),
                   stories=tuple(linked), meldroutes=tuple(routes), avg=markup.render(avg) if avg else None,
                   actions=tuple(markup.render_inline(a) for a in actions), leeswijzer=leeswijzer,
                   source=markup.render_inline(source), steps=steps, endings=endings,
                   path=problems.display(doc.path), kader=kader)


def parts(path: Path, section: Section, allowed: set[str], problems: Problems) -> dict[str, Section]:
    """The `##` parts of a step or ending, by lower-case name."""
    before, subsections = split_sections(section.lines, 2)
    stray = next(((n, line) for n, line in before if line.strip()), None)
    if stray:
        problems.add(path, stray[0], "hier staat tekst zonder kopje. Zet tekst onder `## Situatie`, `## Vraag` "
                                     "of een ander kopje.")
    found: dict[str, Section] = {}
    for part in subsections:
        name = part.title.lower()
        if name not in allowed:
            problems.add(path, part.line, f"het kopje `## {part.title}` hoort hier niet. Gebruik "
                                          f"{', '.join(f'`## {a.capitalize()}`' for a in sorted(allowed))}.")
        elif name in found:
            problems.add(path, part.line, f"het kopje `## {part.title}` staat er twee keer in.")
        else:
            found[name] = part
    return found


def parse_step(path: Path, section: Section, step_id: str, title: str, problems: Problems) -> Step | None:
    """Parse situation, question, options, prompts and puzzle pieces of a step."""
    found = parts(path, section, STEP_PARTS, problems)
    for required in ("situatie", "vraag"):
        if required not in found or found[required].blank:
            problems.add(path, section.line, f"de stap `{step_id}` mist `## {required.capitalize()}` met tekst.")
    options: list[Option] = []
    if "opties" not in found or found["opties"].blank:
        problems.add(path, section.line, f"de stap `{step_id}` heeft geen opties en is ook geen einde. Zet er "
                                         "`## Opties` onder, of maak er `# Einde ...` van.")
    else:
        items = bullet_list(path, found["opties"], problems, "## Opties")
        options = [o for number, item in enumerate(items, 1) if (o := parse_option(path, item, number, problems))]
        if not MIN_OPTIONS <= len(items) <= MAX_OPTIONS:
            problems.add(path, found["opties"].line, f"een stap heeft {MIN_OPTIONS} tot {MAX_OPTIONS} opties; "
                                                     f"`{step_id}` heeft er {len(items)}.")
    prompts = bullet_list(path, found["gespreksvragen"], problems, "## Gespreksvragen") \
        if "gespreksvragen" in found else []
    if len(prompts) < MIN_PROMPTS:
        problems.add(path, found["gespreksvragen"].line if "gespreksvragen" in found else section.line,
                     f"de stap `{step_id}` heeft minstens {MIN_PROMPTS} gespreksvragen nodig onder "
                     f"`## Gespreksvragen`; nu zijn het er {len(prompts)}.")
    pieces = parse_pieces(path, found.get("puzzelstukjes"), problems)
    return Step(step_id, title, markup.render(found["situatie"].text if "situatie" in found else ""),
                markup.render(found["vraag"].text if "vraag" in found else ""), tuple(options),
                tuple(markup.render_inline(p.text) for p in prompts), pieces, section.line)


def parse_option(path: Path, item: Item, number: int, problems: Problems) -> Option | None:
    """Parse `- label → target` with its `Cliënt:` and `Systeem:` lines."""
    arrow = ARROW.match(item.text)
    if not arrow or not arrow.group(1).strip():
        problems.add(path, item.line, "een optie schrijf je zo: `- Wat je doet. → naam-van-de-volgende-stap`.")
        return None
    consequences: dict[str, str] = {}
    for child in item.children:
        match = CONSEQUENCE.match(child.text)
        if not match or not match.group(2).strip():
            problems.add(path, child.line, "onder een optie staan alleen de regels `- Cliënt: ...` en "
                                           "`- Systeem: ...`.")
            continue
        consequences["client" if match.group(1).lower().startswith("cli") else "system"] = match.group(2).strip()
    for key, label, whom in (("client", "Cliënt", "de cliënt"), ("system", "Systeem", "het systeem om de cliënt heen")):
        if key not in consequences:
            problems.add(path, item.line, f"de optie `{arrow.group(1).strip()}` mist wat de keuze betekent voor "
                                          f"{whom}: zet eronder `- {label}: ...`.")
    # Keep the option even when incomplete, so its arrow still counts in the graph checks.
    return Option(number, arrow.group(1).strip(), arrow.group(2),
                  markup.render_inline(consequences.get("client", "")),
                  markup.render_inline(consequences.get("system", "")), item.line)


def parse_pieces(path: Path, section: Section | None, problems: Problems) -> tuple[tuple[str, Markup], ...]:
    """Read `- rol: wat deze rol weet` lines."""
    if section is None:
        return ()
    pieces = []
    for item in bullet_list(path, section, problems, "## Puzzelstukjes"):
        role, _, text = item.text.partition(":")
        role = role.strip()
        if not text.strip():
            problems.add(path, item.line, "een puzzelstukje schrijf je zo: `- rol: wat deze rol weet`.")
        elif role not in ROLES:
            problems.add(path, item.line, f"de rol `{role}` bij dit puzzelstukje bestaat niet.")
        else:
            pieces.append((role, markup.render_inline(text.strip())))
    return tuple(pieces)


def parse_ending(path: Path, section: Section, ending_id: str, title: str, problems: Problems) -> Ending:
    """Parse an ending: a reflection and, under `## Uitkomst`, beter, slechter or gemengd."""
    found = parts(path, section, {"reflectie", "uitkomst"}, problems)
    if "reflectie" not in found or found["reflectie"].blank:
        problems.add(path, section.line, f"het einde `{ending_id}` mist `## Reflectie` met een korte reflectie.")
    outcome = None
    if "uitkomst" in found:
        outcome = found["uitkomst"].text.strip().lower()
        if outcome not in OUTCOMES:
            problems.add(path, found["uitkomst"].line, f"onder `## Uitkomst` staat één woord: "
                                                       f"{', '.join(f'`{o}`' for o in OUTCOMES)}.")
            outcome = None
    elif REQUIRE_KADER:
        problems.add(path, section.line, f"het einde `{ending_id}` mist `## Uitkomst` met `beter`, `slechter` of "
                                         "`gemengd`.")
    return Ending(ending_id, title, markup.render(found["reflectie"].text if "reflectie" in found else ""),
                  section.line, outcome)
