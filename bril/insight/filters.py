"""What a beheerder narrows insight to: a span of quarters and a role, read from the page's GET form.

The same filter goes into the CSV link, so the download holds what the page shows. A role is what a
participant chose when joining a session; someone practising alone chooses none, so a role filter narrows
the session figures only (the page says so).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..content.roles import ROLES, role_label
from .figures import Period


@dataclass(frozen=True)
class Filter:
    first: str  # a quarter key ("2026-1") or "" for no lower bound
    last: str
    role: str  # a key of ROLES or "" for everyone
    period: Period

    @classmethod
    def from_args(cls, args) -> Filter:
        first, last = Period.parse(args.get("van")), Period.parse(args.get("tot"))
        single = Period.parse(args.get("kwartaal"))  # the older one-quarter links
        if single.key and not (first.key or last.key):
            first = last = single
        if first.key and last.key and first.start > last.start:
            first, last = last, first
        role = args.get("rol", "")
        return cls(first.key, last.key, role if role in ROLES else "", span(first, last))

    def args(self) -> dict[str, str]:
        """The query arguments that give this filter again (for links: the CSV, the pages)."""
        return {name: value for name, value in (("van", self.first), ("tot", self.last), ("rol", self.role)) if value}

    @property
    def role_label(self) -> str:
        return role_label(self.role) if self.role else "alle rollen"

    @property
    def file_suffix(self) -> str:
        return "".join(f"-{value}" for value in (self.first, self.last, self.role) if value)


def span(first: Period, last: Period) -> Period:
    """From the start of `first` to the end of `last`; either may be open."""
    if first.key and first.key == last.key:
        return first
    if first.key and last.key:
        label = f"van {first.label} tot en met {last.label}"
    elif first.key:
        label = f"vanaf {first.label}"
    elif last.key:
        label = f"tot en met {last.label}"
    else:
        return last
    return Period(f"{first.key}_{last.key}", label, first.start, last.end)


ROLE_CHOICES = sorted(ROLES.items(), key=lambda item: item[1])
