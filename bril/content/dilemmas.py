"""Dilemma cards: a graph of steps with options, leading to endings, plus a Leeswijzer."""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .. import markup
from .body import Item, Section, bullet_list, split_sections, top_sections
from .fields import SLUG, FieldReader, suggest
from .frontmatter import Document
from .problems import Problems
from .roles import ROLES
from .themes import THEMES, theme_key

FIELDS = ("titel", "samenvatting", "rol", "themas", "verhalen", "meldroutes", "avg", "handelingsopties",
          "leeswijzer", "kader", "bron")
LEESWIJZER_FIELDS = ("doel", "groepsgrootte", "tijd", "aanpak", "valkuilen", "tijd_per_stap", "nabespreking",
                     "alleen", "team", "grote_zaal", "doorgeven")
# The parts of the Leeswijzer and the legal frame that issue 9 added; required once every card has them.
LEESWIJZER_EXTRA = ("nabespreking", "alleen", "team", "grote_zaal", "doorgeven")
KADER_FIELDS = ("regels", "valkuil")
RULE_FIELDS = ("naam", "stappen", "uitleg", "bron")
REQUIRE_KADER = True
MIN_OPTIONS, MAX_OPTIONS, MIN_PROMPTS = 2, 4, 2

NODE_TITLE = re.compile(r"^(stap|einde)\s+(\S+?)\s*:\s*(.*)$", re.IGNORECASE)
ARROW = re.compile(r"^(.*?)\s*(?:→|->)\s*(\S+)\s*$")
CONSEQUENCE = re.compile(r"^(cli[eë]nt|systeem)\s*:\s*(.*)$", re.IGNORECASE)
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
class Leeswijzer:
    """The facilitator's guide to a card."""

    goal: Markup
    group_size: str
    minutes: int
    approach: Markup
    pitfalls: tuple[Markup, ...]
    step_minutes: dict[str, int] = field(default_factory=dict)
    debrief: Markup | None = None
    alone: Markup | None = None
    team: Markup | None = None
    hall: Markup | None = None
    pass_on: Markup | None = None


@dataclass(frozen=True)
class Rule:
    """One rule that matters in a card, at which steps, explained plainly, with its public source."""

    name: str
    steps: tuple[str, ...]
    explanation: Markup
    source: Markup


@dataclass(frozen=True)
class Kader:
    """The legal frame of a card for the facilitator: the rules per step and the usual pitfall."""

    rules: tuple[Rule, ...]
    pitfall: Markup


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


def parse_leeswijzer(reader: FieldReader) -> Leeswijzer:
    """Read the facilitator's guide: goal, group size, time, approach and pitfalls."""
    data = reader.header.data.get("leeswijzer")
    if not isinstance(data, dict):
        reader.problem("de `leeswijzer` ontbreekt. Schrijf eronder `doel`, `groepsgrootte`, `tijd`, `aanpak` en "
                       "`valkuilen`.", "leeswijzer")
        return Leeswijzer(Markup(""), "", 0, Markup(""), ())
    for name in data:
        if name not in LEESWIJZER_FIELDS:
            reader.problem(f"het veld `{name}` ken ik niet in de leeswijzer.", "leeswijzer", name)
    texts = {name: reader.text(name, within=data, key=("leeswijzer", name))
             for name in ("doel", "groepsgrootte", "aanpak")}
    minutes = data.get("tijd")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        reader.problem("de `tijd` in de leeswijzer is het aantal minuten, een getal zoals `45`.", "leeswijzer",
                       "tijd")
        minutes = 0
    pitfalls = data.get("valkuilen")
    if not isinstance(pitfalls, list) or not pitfalls or not all(isinstance(p, str) and p.strip() for p in pitfalls):
        reader.problem("zet onder `valkuilen` in de leeswijzer minstens één valkuil, op een eigen regel met `- `.",
                       "leeswijzer", "valkuilen")
        pitfalls = []
    extra = {name: reader.text(name, required=REQUIRE_KADER, within=data, key=("leeswijzer", name))
             for name in LEESWIJZER_EXTRA}
    step_minutes = data.get("tijd_per_stap") or {}
    if not isinstance(step_minutes, dict):
        reader.problem("onder `tijd_per_stap` zet je per stap `naam-van-de-stap: minuten`.", "leeswijzer",
                       "tijd_per_stap")
        step_minutes = {}
    elif REQUIRE_KADER and not step_minutes:
        reader.problem("de leeswijzer mist `tijd_per_stap`: zet per stap `naam-van-de-stap: minuten`.",
                       "leeswijzer")
    rendered = {name: markup.render(text) if text else None for name, text in extra.items()}
    return Leeswijzer(markup.render_inline(texts["doel"]), texts["groepsgrootte"], minutes,
                      markup.render(texts["aanpak"]), tuple(markup.render_inline(p) for p in pitfalls),
                      {str(k): v for k, v in step_minutes.items()}, rendered["nabespreking"], rendered["alleen"],
                      rendered["team"], rendered["grote_zaal"], rendered["doorgeven"])


def check_step_minutes(reader: FieldReader, leeswijzer: Leeswijzer, steps: set[str]) -> None:
    """Every entry of `tijd_per_stap` names a step and a number of minutes."""
    for step_id, minutes in leeswijzer.step_minutes.items():
        if step_id not in steps:
            reader.problem(f"in `tijd_per_stap` staat `{step_id}`, maar die stap bestaat niet.{suggest(step_id, steps)}",
                           "leeswijzer", "tijd_per_stap", step_id)
        elif not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
            reader.problem(f"de tijd voor stap `{step_id}` is een aantal minuten, een getal zoals `10`.",
                           "leeswijzer", "tijd_per_stap", step_id)


def parse_kader(reader: FieldReader, steps: set[str]) -> Kader | None:
    """Read the legal frame: the rules that matter, at which steps, with their source, and the usual pitfall."""
    data = reader.header.data.get("kader")
    if data is None:
        if REQUIRE_KADER:
            reader.problem("het `kader` ontbreekt: welke regels spelen bij welke stap, met hun bron, en de valkuil "
                           "van teams. Zie docs/auteurs.md.")
        return None
    if not isinstance(data, dict):
        reader.problem("onder `kader` horen de velden `regels` en `valkuil`, ingesprongen met spaties.", "kader")
        return None
    for name in data:
        if name not in KADER_FIELDS:
            reader.problem(f"het veld `{name}` ken ik niet in het kader.{suggest(str(name), KADER_FIELDS)}",
                           "kader", name)
    pitfall = reader.text("valkuil", within=data, key=("kader", "valkuil"))
    entries = data.get("regels")
    if not isinstance(entries, list) or not entries:
        reader.problem("zet onder `regels` in het kader minstens één regel, beginnend met `- naam: ...`.",
                       "kader", "regels")
        entries = []
    rules = []
    for index, entry in enumerate(entries):
        key = ("kader", "regels", index)
        if not isinstance(entry, dict):
            reader.problem("een regel in het kader heeft de velden `naam`, `stappen`, `uitleg` en `bron`.", *key)
            continue
        for name in entry:
            if name not in RULE_FIELDS:
                reader.problem(f"het veld `{name}` ken ik niet bij een regel in het kader.", *key, name)
        texts = {name: reader.text(name, within=entry, key=(*key, name)) for name in ("naam", "uitleg", "bron")}
        named = entry.get("stappen")
        if not isinstance(named, list) or not named:
            reader.problem("zet onder `stappen` de namen van de stappen waar deze regel speelt, of `alle`.",
                           *key, "stappen")
            named = []
        for position, step_id in enumerate(named):
            if step_id != "alle" and step_id not in steps:
                reader.problem(f"de stap `{step_id}` in het kader bestaat niet.{suggest(str(step_id), steps)}",
                               *key, "stappen", position)
        rules.append(Rule(texts["naam"], tuple(map(str, named)), markup.render(texts["uitleg"]),
                          markup.render_inline(texts["bron"])))
    return Kader(tuple(rules), markup.render(pitfall) if pitfall else Markup(""))


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


def check_graph(path: Path, steps: dict[str, Step], endings: dict[str, Ending], lines: dict[str, int],
                problems: Problems) -> None:
    """Every option leads somewhere, every node is reached, and every route can end."""
    nodes = set(steps) | set(endings)
    for step in steps.values():
        for option in step.options:
            if option.target not in nodes:
                problems.add(path, option.line, f"de optie `{option.label}` in stap `{step.id}` wijst naar "
                                              f"`{option.target}`, maar die stap of dat einde bestaat niet.")
    start = next(iter(steps))
    reached = {start}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for option in steps[current].options if current in steps else ():
            if option.target in nodes and option.target not in reached:
                reached.add(option.target)
                queue.append(option.target)
    for node in sorted(nodes - reached, key=lambda n: lines[n]):
        problems.add(path, lines[node], f"bij `{node}` kom je nooit: geen enkele optie wijst ernaartoe.")
    can_end = set(endings)
    changed = True
    while changed:
        changed = False
        for step in steps.values():
            if step.id not in can_end and any(o.target in can_end for o in step.options):
                can_end.add(step.id)
                changed = True
    trapped = sorted((reached & set(steps)) - can_end, key=lambda n: lines[n])
    if trapped and steps[trapped[0]].options:
        names = ", ".join(f"`{n}`" for n in trapped)
        problems.add(path, lines[trapped[0]], f"vanaf {names} kom je nooit bij een einde: de opties gaan in een "
                                              "rondje. Laat minstens één optie naar een einde leiden.")
    if not endings:
        problems.add(path, lines[start], "de kaart heeft geen einde. Voeg minstens één `# Einde naam: titel` toe.")


def shortest_route(steps: dict[str, Step], endings: dict[str, Ending], start: str) -> int:
    """The number of decisions on the shortest route from `start` to an ending."""
    distance = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current in endings:
            return distance[current]
        for option in steps[current].options:
            if option.target not in distance:
                distance[option.target] = distance[current] + 1
                queue.append(option.target)
    return 0


def longest_route(steps: dict[str, Step], endings: dict[str, Ending], node: str, visited: frozenset[str]) -> int:
    """The number of decisions on the longest route from `node` to an ending that visits no step twice."""
    if node in endings:
        return 0
    routes = [1 + longest_route(steps, endings, o.target, visited | {node})
              for o in steps[node].options if o.target not in visited and o.target != node]
    # A dead end (every option loops back) is no route at all.
    return max((r for r in routes if r > 0), default=-1_000)


@dataclass(frozen=True)
class Choice:
    """One decision on a route: the step and the option taken there."""

    step: Step
    option: Option


@dataclass(frozen=True)
class Position:
    """Where a walk through a card stands after a list of decisions."""

    route: tuple[Choice, ...]
    node: str

    @property
    def last(self) -> Choice | None:
        return self.route[-1] if self.route else None


def replay(dilemma: Dilemma, decisions: list[tuple[str, int]]) -> Position:
    """Follow (step id, option number) decisions from the start; stop at the first that no longer fits.

    Cards can change after a walk began; a decision that no longer matches the card ends the replay
    there, so a walker simply continues from the last valid point.
    """
    node = dilemma.start
    route: list[Choice] = []
    for step_id, number in decisions:
        step = dilemma.steps.get(node)
        if step is None or step_id != node or not 1 <= number <= len(step.options):
            break
        option = step.options[number - 1]
        route.append(Choice(step, option))
        node = option.target
    return Position(tuple(route), node)
