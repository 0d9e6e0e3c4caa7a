"""Split a content file into its YAML header and Markdown body, keeping line numbers."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems

Key = tuple[Any, ...]


@dataclass
class Header:
    """The parsed header with the line of every key and list item."""

    data: dict[str, Any]
    lines: dict[Key, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *key: Any) -> int:
        """Line of a key path such as ("persoon", "naam") or ("rollen", 2)."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.first_line


@dataclass
class Document:
    """A content file split into header and body lines."""

    path: Path
    header: Header
    body: list[tuple[int, str]]


def read_document(path: Path, problems: Problems) -> Document | None:
    """Read a file with a `---` header; record problems and return None if unusable."""
    text = read_text(path, problems)
    return None if text is None else split_document(text, path, problems)


def read_text(path: Path, problems: Problems) -> str | None:
    """A content file's text, or None with a problem when it is not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        problems.add(path, line, "het bestand is niet opgeslagen als UTF-8. Sla het op met de codering UTF-8.")
        return None


def split_document(text: str, path: Path, problems: Problems) -> Document | None:
    """Split a file's text (from disk or from a draft) into header and body; None with problems if unusable."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, "het bestand moet beginnen met een regel met alleen `---` (het begin van de kop).")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.add(path, 1, "de kop wordt niet afgesloten. Zet na de kop een regel met alleen `---`.")
        return None
    header = parse_yaml("\n".join(lines[1:end]), path, problems, first_line=2)
    if header is None:
        return None
    body = [(number + 1, line) for number, line in enumerate(lines) if number > end]
    return Document(path, header, body)


def parse_yaml(text: str, path: Path, problems: Problems, first_line: int = 1) -> Header | None:
    """Parse YAML safely into a mapping, with line numbers for every key."""
    loader = LOADER(text)
    try:
        node = loader.get_single_node()  # parsed once: the nodes give the lines, the same nodes the data
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        problems.add(path, line, f"de kop kan niet worden gelezen ({yaml_problem(error)}). "
                                 "Zet tekst met een dubbele punt tussen aanhalingstekens en "
                                 "gebruik spaties, geen tabs, om in te springen.")
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problems.add(path, first_line, "de kop moet bestaan uit regels als `titel: ...`.")
        return None
    lines: dict[Key, int] = {}
    duplicates: list[tuple[str, int]] = []
    collect_lines(node, (), first_line, lines, duplicates)
    for name, line in duplicates:
        problems.add(path, line, f"het veld `{name}` staat er twee keer in. Houd er één over.")
    return Header(data, lines, first_line)


# libyaml's parser where PyYAML was built with it (its wheels are): reading the thirty-five files of the
# library took most of a second with the pure-Python parser, and every worker reads them when it starts.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_problem(error: yaml.YAMLError) -> str:
    """A short English-free hint from a YAML error."""
    problem = getattr(error, "problem", "") or ""
    if "mapping values are not allowed" in problem:
        return "er staat een dubbele punt op een plek waar dat niet kan"
    if "found character '\\t'" in problem or "tab" in problem:
        return "er staat een tab"
    if "could not find expected ':'" in problem:
        return "er mist een dubbele punt"
    if "found duplicate" in problem:
        return "een veld staat er twee keer in"
    return "de opmaak klopt niet"


def collect_lines(node: yaml.Node | None, key: Key, offset: int,
                  lines: dict[Key, int], duplicates: list[tuple[str, int]]) -> None:
    """Record the line of each mapping key and sequence item under `key`."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = key + (key_node.value,)
            if child in lines:
                duplicates.append((str(key_node.value), offset + key_node.start_mark.line))
            lines[child] = offset + key_node.start_mark.line
            collect_lines(value_node, child, offset, lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = key + (index,)
            lines[child] = offset + item.start_mark.line
            collect_lines(item, child, offset, lines, duplicates)
