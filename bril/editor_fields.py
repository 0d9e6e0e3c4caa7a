"""The fields of a draft's text, as an author thinks of them: "Stap begin · Situatie", "Optie B · Cliënt",
"Leeswijzer · doel". The editor names the field a problem belongs to, scores every text a reader reads for
B1 (readability.py), and warns about a kader rule without a usable source. It reads the same Markdown file
the checks read; nothing here changes a draft. No Flask in this module."""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .content.problems import Problem
from .readability import Score, score

# The free-text fields of a header, with the Dutch label the editor shows.
HEADER_TEXTS = {"samenvatting": "Samenvatting", "avg": "AVG", "handelingsopties": "Handelingsopties",
                "blik": "Blik van de professional"}
LEESWIJZER_TEXTS = ("doel", "aanpak", "valkuilen", "nabespreking", "alleen", "team", "grote_zaal", "doorgeven")
# What an author may have typed instead of a source; the check wants a field, this wants a real source.
NO_SOURCE = {"", "?", "-", "--", "x", "bron", "onbekend", "nvt", "n.v.t.", "nog invullen", "volgt", "todo", "tbd"}
NODE = re.compile(r"^#\s+(stap|einde)\s+([\w-]+)", re.IGNORECASE)
CONSEQUENCE = re.compile(r"^\s+[-*]\s+(cli[eë]nt|systeem)\s*:\s*(.*)$", re.IGNORECASE)
OPTION = re.compile(r"^[-*]\s+(.*)$")
LETTERS = "ABCDEFGH"


@dataclass(frozen=True)
class Part:
    """One field of the text: its label, the lines it spans, and (for prose) the text a reader reads."""

    label: str
    first: int
    last: int
    text: str = ""
    at: int = 0  # the line the text itself starts on, when that is not the first

    @property
    def text_line(self) -> int:
        return self.at or self.first

    @property
    def score(self) -> Score | None:
        return score(self.text) if self.text else None


@dataclass(frozen=True)
class Warning:
    """Something an author should look at that does not stop publishing."""

    line: int
    field: str
    message: str


def header_end(lines: list[str]) -> int:
    """The line number (1-based) of the header's closing `---`, or 0 when there is no header."""
    if not lines or lines[0].strip() != "---":
        return 0
    return next((n for n, line in enumerate(lines[1:], 2) if line.strip() == "---"), 0)


def header_parts(lines: list[str], end: int) -> list[Part]:
    """The header's fields, with the line each starts on (from YAML's own positions)."""
    try:
        root = yaml.compose("\n".join(lines[1:end - 1]))
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    found: list[Part] = []

    def at(node) -> tuple[int, int]:
        return node.start_mark.line + 2, max(node.start_mark.line + 2, node.end_mark.line + 1)

    def texts(node, label: str) -> None:
        if isinstance(node, yaml.ScalarNode):
            found.append(Part(label, *at(node), str(node.value)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value, 1):
                texts(item, f"{label} {index}")

    for key, value in root.value:
        name = str(key.value)
        found.append(Part(name.capitalize().replace("_", " "), key.start_mark.line + 2, at(value)[1]))
        if name in HEADER_TEXTS:
            texts(value, HEADER_TEXTS[name])
        elif name == "leeswijzer" and isinstance(value, yaml.MappingNode):
            for sub, text in value.value:
                if sub.value in LEESWIJZER_TEXTS:
                    texts(text, f"Leeswijzer · {sub.value.replace('_', ' ')}")
        elif name == "kader" and isinstance(value, yaml.MappingNode):
            for sub, text in value.value:
                if sub.value == "valkuil":
                    texts(text, "Kader · valkuil")
                elif sub.value == "regels" and isinstance(text, yaml.SequenceNode):
                    for index, rule in enumerate(text.value, 1):
                        found.append(Part(f"Kader · regel {index}", *at(rule)))
                        if isinstance(rule, yaml.MappingNode):
                            for field, content in rule.value:
                                if field.value == "uitleg":
                                    texts(content, f"Kader · regel {index} · uitleg")
    return found


def node_label(heading: str, scenes: int) -> str:
    """The label of a `#` part: "Stap begin", "Einde samen", "Scène 2" or the heading itself."""
    node = NODE.match(heading)
    if node:
        return f"{node.group(1).capitalize()} {node.group(2)}"
    title = heading.lstrip("#").strip()
    return f"Scène {scenes}" if title.lower().startswith("scène") else title.split(":")[0]


def block(lines: list[str], first: int, last: int) -> str:
    """The text of lines first..last (1-based, inclusive)."""
    return "\n".join(lines[first - 1:last]).strip()


def text_start(lines: list[str], first: int, last: int) -> int:
    """The first line with text from first to last, or 0."""
    return next((n for n in range(first, last + 1) if lines[n - 1].strip()), 0)


def body_parts(lines: list[str], start: int) -> list[Part]:
    """The `#` and `##` parts of the body, and each option with its consequences."""
    found: list[Part] = []
    headings = [(n, line) for n, line in enumerate(lines, 1) if n > start and re.match(r"^#{1,2}\s", line)]
    scenes, top = 0, ""
    for index, (n, line) in enumerate(headings):
        last = (headings[index + 1][0] - 1) if index + 1 < len(headings) else len(lines)
        if line.startswith("# "):
            scenes += line[2:].strip().lower().startswith("scène")
            top = node_label(line, scenes)
            end = next((m - 1 for m, other in headings[index + 1:] if other.startswith("# ")), len(lines))
            found.append(Part(top, n, end, block(lines, n + 1, last), text_start(lines, n + 1, last)))
            continue
        name = line[3:].strip()
        if name.lower() == "opties":
            found.append(Part(f"{top} · Opties", n, last))
            found += option_parts(lines, n + 1, last, top)
        elif name.lower() in ("gespreksvragen", "signalen", "puzzelstukjes", "vragen"):
            found.append(Part(f"{top} · {name}", n, last))
            found += [Part(f"{top} · {name} {i}", m, m, re.sub(r"^[-*]\s+([\w-]+:\s+)?", "", lines[m - 1]))
                      for i, m in enumerate((m for m in range(n + 1, last + 1) if OPTION.match(lines[m - 1])), 1)]
        elif name.lower() == "uitkomst":
            found.append(Part(f"{top} · {name}", n, last))
        else:
            found.append(Part(f"{top} · {name}", n, last, block(lines, n + 1, last), text_start(lines, n + 1, last)))
    return found


def option_parts(lines: list[str], first: int, last: int, top: str) -> list[Part]:
    """Each option of a step (its label) and its consequence for the client and for the system."""
    found: list[Part] = []
    starts = [m for m in range(first, last + 1) if OPTION.match(lines[m - 1])]
    for index, m in enumerate(starts):
        end = (starts[index + 1] - 1) if index + 1 < len(starts) else last
        letter = LETTERS[index] if index < len(LETTERS) else str(index + 1)
        found.append(Part(f"{top} · Optie {letter}", m, end, OPTION.match(lines[m - 1]).group(1)))
        for k in range(m + 1, end + 1):
            consequence = CONSEQUENCE.match(lines[k - 1])
            if consequence:
                whom = "Cliënt" if consequence.group(1).lower().startswith("cli") else "Systeem"
                found.append(Part(f"{top} · Optie {letter} · {whom}", k, k, consequence.group(2)))
    return found


def outline(text: str) -> list[Part]:
    """Every field of a draft's text, in the order of the file."""
    lines = text.split("\n")
    end = header_end(lines)
    head = [Part("Kop van het bestand", 1, end), *header_parts(lines, end)] if end else []
    return head + body_parts(lines, end)


def field_at(parts: list[Part], line: int) -> str:
    """The label of the narrowest field holding a line; the header or the text when none does."""
    holding = [p for p in parts if p.first <= line <= p.last]
    if not holding:
        return "Kop van het bestand" if line == 1 else "Tekst"
    return min(holding, key=lambda p: (p.last - p.first, -p.first)).label


@dataclass(frozen=True)
class FieldProblem:
    """A problem of the checks with the field it belongs to."""

    line: int
    field: str
    message: str


MISSING = re.compile(r"`([a-z_]+)`.*\b(ontbreekt|ontbreken)\b|\bmist `([a-z_]+)`")


def missing_field(label: str, message: str) -> str:
    """The field a message about a missing header field names: the checks put it on the line of the part it
    is missing from (or the first line), so "Leeswijzer" becomes "Leeswijzer · nabespreking"."""
    found = MISSING.search(message)
    if not found:
        return label
    name = (found.group(1) or found.group(3)).replace("_", " ")
    if label.startswith(("Leeswijzer", "Kader · regel")) and name not in ("leeswijzer", "kader"):
        return f"{label} · {name}"
    return name.capitalize()


def placed(problems: list[Problem], parts: list[Part]) -> list[FieldProblem]:
    """The checks' problems, each with the field it belongs to."""
    header = next((p.last for p in parts if p.label == "Kop van het bestand"), 0)
    return [FieldProblem(p.line, missing_field(field_at(parts, p.line), p.message) if p.line <= header
                         else field_at(parts, p.line), p.message) for p in problems]


def hard_texts(parts: list[Part]) -> list[Warning]:
    """Every text a reader reads that is harder than B1, with a hint."""
    scored = ((p, p.score) for p in parts if p.text)
    return [Warning(p.text_line, p.label, found.hint()) for p, found in scored if found and not found.b1]


def sourceless_rules(text: str) -> list[Warning]:
    """Each kader rule whose `bron` is missing or a placeholder: a warning, as a rule needs a source to be
    looked up, but an author may publish while they find it."""
    lines = text.split("\n")
    end = header_end(lines)
    try:
        header = yaml.safe_load("\n".join(lines[1:end - 1])) if end else None
    except yaml.YAMLError:
        return []
    rules = (header or {}).get("kader", {}) if isinstance(header, dict) else {}
    rules = rules.get("regels") if isinstance(rules, dict) else None
    starts = [p for p in header_parts(lines, end) if re.fullmatch(r"Kader · regel \d+", p.label)] if end else []
    found = []
    for index, rule in enumerate(rules if isinstance(rules, list) else [], 1):
        source = rule.get("bron") if isinstance(rule, dict) else None
        if str(source or "").strip().lower() not in NO_SOURCE:
            continue
        line = starts[index - 1].first if index <= len(starts) else 1
        name = rule.get("naam", "") if isinstance(rule, dict) else ""
        found.append(Warning(line, f"Kader · regel {index}",
                             f"de regel {('`' + str(name) + '` ') if name else ''}heeft geen bron. Schrijf de wet "
                             "of richtlijn erbij (met artikel), zodat een lezer hem kan opzoeken."))
    return found


@dataclass(frozen=True)
class Reading:
    """How easy one text of the card is to read: its field, line and Flesch-Douma score (None: too short)."""

    line: int
    field: str
    score: float | None
    b1: bool


def readings(text: str) -> list[Reading]:
    """The score of every text a reader reads, in the order of the file."""
    found = []
    for part in outline(text):
        scored = part.score if part.text else None
        if scored is not None:
            found.append(Reading(part.text_line, part.label, scored.value if scored.judged else None, scored.b1))
    return found


def warnings(text: str) -> list[Warning]:
    """What the editor shows beside the checks without blocking publishing: hard texts, rules without source."""
    return sorted(sourceless_rules(text) + hard_texts(outline(text)), key=lambda w: w.line)
