"""A card's steps as form fields, read from and written back into the draft's Markdown text.

The text stays the one truth: a form reads one `# Stap` part of it into fields and writes exactly that part
back, so the checks, the autosave and the conflict rule keep working on the file, and a change elsewhere in
the text (another tab, another author) survives a save of one step. A step whose text holds something the
form has no field for (a stray line, an odd bullet) is not offered as a form: writing it back would lose
words. Also the shape of a card, counted as Twine counts a story, even while it does not pass the checks
(the parsed card exists only then). No Flask in this module.
"""
from __future__ import annotations

import hashlib
import re
from collections import deque
from dataclasses import dataclass, field

NODE = re.compile(r"^#\s+(stap|einde)\s+([\w-]+)\s*:?\s*(.*)$", re.IGNORECASE)
PART = re.compile(r"^##\s+(.+?)\s*$")
ARROW = re.compile(r"^(.*?)\s*(?:→|->)\s*(\S+)\s*$")
BULLET = re.compile(r"^[-*]\s+(.*)$")
CONSEQUENCE = re.compile(r"^\s+[-*]\s+(cli[eë]nt|systeem)\s*:\s*(.*)$", re.IGNORECASE)
MAX_OPTIONS, MIN_OPTIONS = 4, 2


@dataclass
class OptionFields:
    """One option as the form shows it."""

    label: str = ""
    target: str = ""
    client: str = ""
    system: str = ""


@dataclass
class StepFields:
    """One step as the form shows it; `extra` keeps the parts the form has no fields for (Puzzelstukjes)."""

    id: str
    title: str = ""
    situation: str = ""
    question: str = ""
    options: list[OptionFields] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    extra: str = ""


@dataclass(frozen=True)
class Node:
    """A `# Stap` or `# Einde` part of the text: its kind, id, title and lines (0-based, end exclusive)."""

    kind: str
    id: str
    title: str
    start: int
    end: int


def body_start(lines: list[str]) -> int:
    """The index of the first line after the header (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    return next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)


def nodes_of(text: str) -> list[Node]:
    """Every step and ending of a card's text, in the order of the file."""
    lines = text.split("\n")
    heads = [(i, NODE.match(lines[i])) for i in range(body_start(lines), len(lines)) if lines[i].startswith("# ")]
    found = []
    for index, (i, match) in enumerate(heads):
        end = heads[index + 1][0] if index + 1 < len(heads) else len(lines)
        if match:
            found.append(Node(match.group(1).lower(), match.group(2), match.group(3).strip(), i, end))
    return found


def parts_of(lines: list[str]) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """A step's lines before any `##`, its parts by lower-case name, and the order they came in."""
    before: list[str] = []
    parts: dict[str, list[str]] = {}
    order: list[str] = []
    current = before
    for line in lines:
        part = PART.match(line)
        if part:
            name = part.group(1).lower()
            order.append(name)
            current = parts.setdefault(name, [])
            continue
        current.append(line)
    return before, parts, order


def prose(lines: list[str]) -> str:
    return "\n".join(lines).strip()


def read_options(lines: list[str]) -> list[OptionFields]:
    """The options under `## Opties`: `- label → target` with `- Cliënt:` and `- Systeem:` beneath."""
    options: list[OptionFields] = []
    for line in lines:
        bullet = BULLET.match(line)
        consequence = CONSEQUENCE.match(line)
        if bullet:
            arrow = ARROW.match(bullet.group(1))
            options.append(OptionFields(arrow.group(1), arrow.group(2)) if arrow else OptionFields(bullet.group(1)))
        elif consequence and options:
            setattr(options[-1], "client" if consequence.group(1).lower().startswith("cli") else "system",
                    consequence.group(2).strip())
    return options


def read_step(text: str, step_id: str) -> StepFields | None:
    """The fields of one step, or None when the card has no such step."""
    node = next((n for n in nodes_of(text) if n.kind == "stap" and n.id == step_id), None)
    if node is None:
        return None
    lines = text.split("\n")[node.start + 1:node.end]
    _, parts, order = parts_of(lines)
    known = ("situatie", "vraag", "opties", "gespreksvragen")
    extra = "\n\n".join(f"## {name.capitalize()}\n\n{prose(parts[name])}" for name in order if name not in known)
    prompts = [m.group(1).strip() for line in parts.get("gespreksvragen", []) if (m := BULLET.match(line))]
    return StepFields(step_id, node.title, prose(parts.get("situatie", [])), prose(parts.get("vraag", [])),
                      read_options(parts.get("opties", [])), prompts, extra)


def one_line(value: str) -> str:
    """A field that lives on one line of the file (a label, a consequence, a prompt, a title)."""
    return " ".join(value.split())


def step_text(step: StepFields) -> str:
    """The Markdown of one step, in the order the bundled cards use."""
    out = [f"# Stap {step.id}: {one_line(step.title)}", "", "## Situatie", "", step.situation.strip(), "",
           "## Vraag", "", step.question.strip(), "", "## Opties", ""]
    for option in step.options:
        out.append(f"- {one_line(option.label)} → {option.target.strip()}")
        out += [f"  - Cliënt: {one_line(option.client)}", f"  - Systeem: {one_line(option.system)}"]
    out += ["", "## Gespreksvragen", ""] + [f"- {one_line(p)}" for p in step.prompts if p.strip()] + [""]
    if step.extra.strip():
        out += [step.extra.strip(), ""]
    return "\n".join(out).replace("\r\n", "\n")


def normal(text: str) -> str:
    """A part's text without the blank lines and trailing spaces that do not change what it says."""
    return "\n".join(line.rstrip() for line in text.split("\n") if line.strip())


def fits(text: str, node_id: str) -> bool:
    """Whether the form holds every word of the step or ending: written back unchanged, it gives the same text."""
    node = next((n for n in nodes_of(text) if n.id == node_id), None)
    if node is None:
        return False
    written = step_text(read_step(text, node_id)) if node.kind == "stap" else ending_text(read_ending(text, node_id))
    return normal(written).replace("->", "→") == normal(
        "\n".join(text.split("\n")[node.start:node.end])).replace("->", "→")


@dataclass
class EndingFields:
    """One ending as the form shows it: its title, how it turned out, and the reflection."""

    id: str
    title: str = ""
    outcome: str = ""
    reflection: str = ""


def read_ending(text: str, ending_id: str) -> EndingFields | None:
    """The fields of one ending, or None when the card has no such ending."""
    node = next((n for n in nodes_of(text) if n.kind == "einde" and n.id == ending_id), None)
    if node is None:
        return None
    _, parts, _ = parts_of(text.split("\n")[node.start + 1:node.end])
    return EndingFields(ending_id, node.title, prose(parts.get("uitkomst", [])), prose(parts.get("reflectie", [])))


def ending_text(ending: EndingFields) -> str:
    """The Markdown of one ending, in the order the bundled cards use."""
    out = [f"# Einde {ending.id}: {one_line(ending.title)}", ""]
    if ending.outcome.strip():
        out += ["## Uitkomst", "", ending.outcome.strip(), ""]
    return "\n".join(out + ["## Reflectie", "", ending.reflection.strip(), ""]).replace("\r\n", "\n")


def write_ending(text: str, ending: EndingFields) -> str:
    """The text with one ending written from its fields; everything else stays as it was."""
    return replace_node(text, ending.id, ending_text(ending))


def add_ending(text: str) -> str:
    """The text with a new ending after the last part (no option leads there yet, which the counts show)."""
    used = {n.id for n in nodes_of(text)}
    ending_id = next(f"einde-{n}" for n in range(1, 1000) if f"einde-{n}" not in used)
    block = ending_text(EndingFields(ending_id, "Een nieuw einde", "gemengd", "Schrijf hier een korte reflectie."))
    return text.rstrip("\n") + "\n\n" + block


def replace_node(text: str, node_id: str, new: str | None) -> str:
    """The text with one step or ending replaced by `new` (or taken out when None)."""
    lines = text.split("\n")
    node = next(n for n in nodes_of(text) if n.id == node_id)
    middle = [] if new is None else new.rstrip("\n").split("\n") + [""]
    rest = lines[node.end:]
    if new is None and node.end == len(lines):
        # The last part goes: the text before it keeps one blank line at the end at most.
        while lines[:node.start] and not lines[node.start - 1].strip():
            node = Node(node.kind, node.id, node.title, node.start - 1, node.end)
        rest = [""]
    return "\n".join(lines[:node.start] + middle + rest)


def write_step(text: str, step: StepFields) -> str:
    """The text with one step written from its fields; everything else stays as it was."""
    return replace_node(text, step.id, step_text(step))


def new_step_id(text: str) -> str:
    """A step name that is not used yet: stap-2, stap-3..."""
    used = {n.id for n in nodes_of(text)}
    return next(f"stap-{n}" for n in range(2, 1000) if f"stap-{n}" not in used)


def add_step(text: str) -> tuple[str, str]:
    """The text with a new step after the last one, its options leading to the first ending; and its name."""
    nodes = nodes_of(text)
    step_id = new_step_id(text)
    target = next((n.id for n in nodes if n.kind == "einde"), "")
    step = StepFields(step_id, "Nieuwe stap", "Beschrijf wat er nu gebeurt.", "Wat doe je?",
                      [OptionFields("Eerste keuze.", target, "Wat merkt de cliënt hiervan?",
                                    "Wat betekent het voor de mensen om de cliënt heen?"),
                       OptionFields("Tweede keuze.", target, "Wat merkt de cliënt hiervan?",
                                    "Wat betekent het voor de mensen om de cliënt heen?")],
                      ["Wat zou jij doen?", "Wat houdt je tegen?"])
    lines = text.split("\n")
    steps = [n for n in nodes if n.kind == "stap"]
    at = steps[-1].end if steps else len(lines)
    block = step_text(step).split("\n")
    if at == len(lines):
        return "\n".join(lines + block), step_id
    return "\n".join(lines[:at] + block + lines[at:]), step_id


def remove_step(text: str, step_id: str) -> str:
    """The text without one step (the options that led there then lead nowhere, which the checks say)."""
    return replace_node(text, step_id, None)


def move_step(text: str, step_id: str, by: int) -> str:
    """The text with a step swapped with the step before (by=-1) or after (by=1); the first step is the start."""
    steps = [n for n in nodes_of(text) if n.kind == "stap"]
    index = next(i for i, n in enumerate(steps) if n.id == step_id)
    other = index + by
    if not 0 <= other < len(steps):
        return text
    first, second = sorted((steps[index], steps[other]), key=lambda n: n.start)
    lines = text.split("\n")
    between = lines[first.end:second.start]
    return "\n".join(lines[:first.start] + lines[second.start:second.end] + between
                     + lines[first.start:first.end] + lines[second.end:])


def options_of(text: str) -> dict[str, list[OptionFields]]:
    """Each step's options, by step, read from the text as it is."""
    lines = text.split("\n")
    found = {}
    for node in nodes_of(text):
        if node.kind == "stap":
            _, parts, _ = parts_of(lines[node.start + 1:node.end])
            found[node.id] = read_options(parts.get("opties", []))
    return found


def targets_of(text: str) -> dict[str, list[str]]:
    """Where each step's options lead, by step."""
    return {step: [o.target for o in options] for step, options in options_of(text).items()}


@dataclass(frozen=True)
class Shape:
    """A card's shape as the editor counts it (Twine shows an author the same)."""

    unreached: tuple[str, ...]
    dangling: tuple[tuple[str, int], ...]  # (step, option number) whose target is no step or ending
    unused_endings: tuple[str, ...]
    longest: int | None
    shortest: int | None


def shape(text: str) -> Shape:
    """Steps no route reaches, options that lead nowhere, endings never reached, the longest and shortest route."""
    nodes = nodes_of(text)
    steps = targets_of(text)
    endings = [n.id for n in nodes if n.kind == "einde"]
    known = set(steps) | set(endings)
    dangling = tuple((s, i) for s, targets in steps.items() for i, t in enumerate(targets, 1) if t not in known)
    if not steps:
        return Shape((), dangling, tuple(endings), None, None)
    start = next(iter(steps))
    reached, queue = {start}, deque([start])
    while queue:
        for target in steps.get(queue.popleft(), []):
            if target in known and target not in reached:
                reached.add(target)
                queue.append(target)
    lengths = route_lengths(steps, set(endings), start)
    return Shape(tuple(s for s in steps if s not in reached), dangling,
                 tuple(e for e in endings if e not in reached),
                 max(lengths) if lengths else None, min(lengths) if lengths else None)


def route_lengths(steps: dict[str, list[str]], endings: set[str], start: str, limit: int = 20000) -> list[int]:
    """The number of decisions on every route from the start to an ending that visits no step twice (at most
    `limit` routes, so a large card with many crossings stays quick)."""
    found: list[int] = []
    stack = [(start, 0, frozenset({start}))]
    while stack and len(found) < limit:
        node, depth, seen = stack.pop()
        for target in steps.get(node, []):
            if target in endings:
                found.append(depth + 1)
            elif target in steps and target not in seen:
                stack.append((target, depth + 1, seen | {target}))
    return found


def fingerprint(text: str, step_id: str) -> str:
    """A short mark of one step's text as it is now, so a save can tell whether someone changed that step."""
    node = next((n for n in nodes_of(text) if n.id == step_id), None)
    if node is None:
        return ""
    return hashlib.sha256(normal("\n".join(text.split("\n")[node.start:node.end])).encode()).hexdigest()[:16]


def step_source(text: str, step_id: str) -> str:
    """One step's Markdown as it stands in the text (to show beside the form after a conflict)."""
    node = next((n for n in nodes_of(text) if n.id == step_id), None)
    return "\n".join(text.split("\n")[node.start:node.end]).strip() if node else ""
