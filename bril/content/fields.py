"""Checks for header fields, shared by every kind of content file."""
from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any, Callable, Iterable

from .frontmatter import Header
from .problems import Problems

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Turn a file name into a web address part: lower case, no accents, hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class FieldReader:
    """Reads typed fields from a header, recording a problem for each wrong one."""

    def __init__(self, path: Path, header: Header, problems: Problems, known: Iterable[str]) -> None:
        self.path = path
        self.header = header
        self.problems = problems
        known = list(known)
        for name in header.data:
            if name not in known:
                self.problem(f"het veld `{name}` ken ik niet.{suggest(str(name), known)}", name)

    def problem(self, message: str, *key: Any) -> None:
        """Record a mistake at the line of a key path."""
        self.problems.add(self.path, self.header.line(*key), message)

    def text(self, name: str, required: bool = True, within: dict[str, Any] | None = None,
             key: tuple[Any, ...] = ()) -> str:
        """A non-empty text field."""
        data = self.header.data if within is None else within
        key = key or (name,)
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(f"het veld `{name}` ontbreekt of is leeg.", *key[:-1])
            return ""
        if isinstance(value, (dict, list)):
            self.problem(f"het veld `{name}` moet een tekst zijn, geen lijst.", *key)
            return ""
        return str(value).strip()

    def mapping(self, name: str) -> dict[str, Any]:
        """A field holding sub-fields, such as `persoon`."""
        value = self.header.data.get(name)
        if value is None:
            self.problem(f"het veld `{name}` ontbreekt.")
            return {}
        if not isinstance(value, dict):
            self.problem(f"onder `{name}` horen velden op eigen regels, ingesprongen met spaties.", name)
            return {}
        return value

    def text_list(self, name: str, required: bool = True) -> list[str]:
        """A list of short texts."""
        value = self.header.data.get(name)
        if value is None or value == []:
            if required:
                self.problem(f"het veld `{name}` ontbreekt of is leeg. Zet er minstens één regel `- ...` onder.")
            return []
        if not isinstance(value, list):
            self.problem(f"het veld `{name}` moet een lijst zijn: elke waarde op een eigen regel met `- ` ervoor.",
                         name)
            return []
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, (str, int)) or not str(item).strip():
                self.problem(f"in `{name}` staat een lege of onleesbare waarde.", name, index)
                continue
            items.append(str(item).strip())
        return items

    def keys(self, name: str, allowed: dict[str, Any] | set[str], what: str, required: bool = True,
             normalise: Callable[[str], str] | None = None) -> list[str]:
        """A list of keys that must each exist in `allowed` (after `normalise`, when given)."""
        items = [normalise(item) if normalise else item for item in self.text_list(name, required)]
        valid = []
        for index, item in enumerate(items):
            if item in allowed:
                valid.append(item)
            else:
                self.problem(f"{what} `{item}` bestaat niet.{suggest(item, allowed)}", name, index)
        return valid


def suggest(word: str, options: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt key."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" Bedoel je `{close[0]}`?" if close else ""
