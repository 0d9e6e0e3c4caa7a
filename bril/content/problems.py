"""Content mistakes, collected with file and line so an author can find them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one content file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}, regel {self.line}: {self.message}"


class Problems:
    """Collects every mistake found while loading, so all are reported at once."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.items: list[Problem] = []

    def add(self, path: Path, line: int, message: str) -> None:
        """Record a mistake at a line of a file."""
        self.items.append(Problem(self.display(path), max(line, 1), message))

    def display(self, path: Path) -> str:
        """Show a path relative to the content root where possible."""
        if self.root is not None:
            try:
                return str(path.resolve().relative_to(self.root.resolve()))
            except ValueError:
                pass
        return str(path)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


class ContentInvalid(SystemExit):
    """Raised at start-up when content is broken; exits with the full report."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(1)


def format_report(problems: list[Problem]) -> str:
    """Render a Dutch report listing every mistake, sorted by file and line."""
    count = len(problems)
    head = "1 fout gevonden" if count == 1 else f"{count} fouten gevonden"
    lines = [f"De inhoud is niet in orde: {head}.", ""]
    lines += [f"  {problem}" for problem in sorted(problems)]
    lines += ["", "Verbeter deze fouten en probeer het opnieuw. Uitleg staat in docs/auteurs.md."]
    return "\n".join(lines)
